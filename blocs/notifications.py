"""E-mail of the notifications (docs/architecture.md, "Notifications and e-mail").

``blocs.services.notification_send`` records each notice in the caller's transaction; after the commit
``mail_on_commit`` puts ``send_notification_mail`` on the queue (Django's Tasks API, like the file jobs).
The job sends each notice still ``pending`` through Django's mail backend (SMTP in production, set by
``EMAIL_URL``), marks it ``sent``, and leaves it ``pending`` with the error when the mail server fails:
nothing is lost. A backend that can defer jobs (the database queue) tries again later by itself, with a
growing wait; ``manage.py send_reminders`` (cron or a systemd timer) also sends every notice still
pending, so the next run delivers whatever the queue.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import timedelta

from django.conf import settings
from django.core.mail import EmailMultiAlternatives, get_connection
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django_tasks import task

from .models import Notification

logger = logging.getLogger(__name__)

# A notice whose mail failed this many times is still pending, but only a later run (send_reminders)
# tries it again: the queue stops retrying by itself.
MAIL_QUEUE_ATTEMPTS = 5


def site_url(path: str) -> str:
    """The absolute address of a page of the portal, from ``SITE_URL`` (jobs have no request to ask)."""
    if not path:
        return settings.SITE_URL.rstrip("/") + "/"
    return settings.SITE_URL.rstrip("/") + path if path.startswith("/") else path


def mail_on_commit(notification_ids: Sequence[int]) -> None:
    ids = list(notification_ids)
    # robust: the notices are recorded whatever happens to the queue; send_reminders sends what is left.
    transaction.on_commit(lambda: send_notification_mail.enqueue(notification_ids=ids), robust=True)


@task()
def send_notification_mail(notification_ids: list[int]) -> None:
    """The queue's job: send these notices' e-mail, and try again later what the mail server refused."""
    run = mail_deliver(ids=notification_ids)
    if run.failed and send_notification_mail.get_backend().supports_defer:
        attempts = min(n.email_attempts for n in run.failed)
        if attempts < MAIL_QUEUE_ATTEMPTS:
            wait = timedelta(minutes=5 * 2 ** (attempts - 1))
            send_notification_mail.using(run_after=timezone.now() + wait).enqueue(
                notification_ids=[n.pk for n in run.failed]
            )


def message_on_commit(message: EmailMultiAlternatives) -> None:
    """Send a message that is no notice (the password reset's link) after the request's commit, on the
    queue: no request waits for the mail server, and a known address answers as fast as an unknown one."""
    html = str(next((content for content, mimetype in message.alternatives if mimetype == "text/html"), ""))
    subject, body, to = str(message.subject), str(message.body), list(message.to)
    transaction.on_commit(lambda: send_message.enqueue(subject=subject, body=body, html=html, to=to), robust=True)


@task()
def send_message(subject: str, body: str, html: str, to: list[str]) -> None:
    """The queue's job for ``message_on_commit``. A refused message is not kept (the user asks again), but
    the database queue tries it once more a little later."""
    message = EmailMultiAlternatives(subject=subject, body=body, to=to)
    if html:
        message.attach_alternative(html, "text/html")
    try:
        message.send()
    except Exception:
        logger.warning("message %r to %s not sent", subject, len(to), exc_info=True)
        if send_message.get_backend().supports_defer:
            send_message.using(run_after=timezone.now() + timedelta(minutes=5)).enqueue(
                subject=subject, body=body, html=html, to=to
            )


@dataclass
class MailRun:
    """What one delivery did: the notices sent and those the mail server refused (still pending)."""

    sent: list[Notification] = field(default_factory=list)
    failed: list[Notification] = field(default_factory=list)


def message_for(notification: Notification) -> EmailMultiAlternatives:
    """The e-mail of a notice: Vietnamese, plain text with an HTML part, the page's link in both."""
    with translation.override(settings.LANGUAGE_CODE):
        context = {
            "notification": notification,
            "user": notification.user,
            "link": site_url(notification.url),
            "settings_link": site_url(reverse("blocs:email_settings")),
            "site_name": _("Emulation bloc portal"),
        }
        subject = f"[{context['site_name']}] {notification.title}"
        text = render_to_string("email/notification.txt", context)
        html = render_to_string("email/notification.html", context)
    message = EmailMultiAlternatives(subject=subject, body=text, to=[notification.user.email])
    message.attach_alternative(html, "text/html")
    return message


def mail_deliver(*, ids: Sequence[int] | None = None) -> MailRun:
    """Send the pending notices (``ids``: only those of them), each claimed under a row lock so that two
    workers never send one twice; on one connection to the mail server. A notice the server refuses stays
    pending with the error and one more attempt; if the server cannot be reached, the rest wait too."""
    run = MailRun()
    due = Notification.objects.mail_due().select_related("user").order_by("pk")
    if ids is not None:
        due = due.filter(pk__in=list(ids))
    with transaction.atomic():
        notices = list(due.select_for_update(skip_locked=True, of=("self",)))
        if not notices:
            return run
        connection = get_connection(fail_silently=False)
        try:
            connection.open()
        except Exception as error:  # the server is down: nothing is sent, everything waits
            logger.warning("mail server unreachable, %s notices wait: %s", len(notices), error)
            _failed(notices, error)
            run.failed = notices
            return run
        try:
            for notice in notices:
                try:
                    connection.send_messages([message_for(notice)])
                except Exception as error:
                    logger.warning("notification %s not mailed: %s", notice.pk, error)
                    _failed([notice], error)
                    run.failed.append(notice)
                else:
                    notice.email, notice.email_sent_at, notice.email_error = (
                        Notification.Email.SENT,
                        timezone.now(),
                        "",
                    )
                    notice.email_attempts += 1
                    notice.save(update_fields=["email", "email_sent_at", "email_error", "email_attempts"])
                    run.sent.append(notice)
        finally:
            try:
                connection.close()
            except Exception:  # a server that died mid-run: what was sent is recorded
                logger.warning("mail connection not closed cleanly", exc_info=True)
    return run


def _failed(notices: list[Notification], error: Exception) -> None:
    for notice in notices:
        notice.email_attempts += 1
        notice.email_error = f"{type(error).__name__}: {error}"[:500]
        notice.save(update_fields=["email_attempts", "email_error"])
