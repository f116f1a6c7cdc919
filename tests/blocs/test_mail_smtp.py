"""Notification e-mail through Django's SMTP backend to a real SMTP server started on 127.0.0.1
(aiosmtpd): the messages arrive with their recipients, subject and link; a server that stops mid-run loses
nothing, and the next run delivers what waited (docs/architecture.md, "Notifications and e-mail")."""

import email
import socket
from email import policy

import pytest
from aiosmtpd.controller import Controller
from django.db import connection
from django.test import override_settings

from blocs import notifications, services
from blocs.models import Notification
from config.settings.base import tasks_setting

pytestmark = pytest.mark.django_db


class Inbox:
    """The aiosmtpd handler: keeps every message it accepts, as (envelope recipients, parsed message)."""

    def __init__(self):
        self.messages: list[tuple[list[str], email.message.EmailMessage]] = []

    async def handle_DATA(self, server, session, envelope):
        parsed = email.message_from_bytes(envelope.content, policy=policy.default)
        self.messages.append((list(envelope.rcpt_tos), parsed))
        return "250 Message accepted for delivery"


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture
def smtp():
    """A running SMTP server and the settings that send to it."""
    inbox, port = Inbox(), free_port()
    controller = Controller(inbox, hostname="127.0.0.1", port=port)
    controller.start()
    server = [controller]
    smtp_settings = {
        "EMAIL_BACKEND": "django.core.mail.backends.smtp.EmailBackend",
        "EMAIL_HOST": "127.0.0.1",
        "EMAIL_PORT": port,
        "EMAIL_USE_TLS": False,
        "EMAIL_USE_SSL": False,
        "EMAIL_HOST_USER": "",
        "EMAIL_HOST_PASSWORD": "",
        "EMAIL_TIMEOUT": 5,
        "SITE_URL": "https://thidua.angiang.gov.vn",
    }
    with override_settings(**smtp_settings):
        yield server, inbox
    try:
        server[-1].stop()
    except AssertionError:  # already stopped by the test
        pass


def addressed(users):
    for role, user in users.items():
        if user is not None:
            user.email = f"{role}@example.vn"
            user.save()
    return users


def tell(users, roles, *, title="Khối thi đua KTĐ6: đã mở ký giao ước năm 2021"):
    return services.notification_send(
        kind=Notification.Kind.SIGNING_OPENED,
        users=[users[role] for role in roles],
        title=title,
        body="Đề nghị các đơn vị ký giao ước.\nHạn ký: 31/03/2021.",
        url="/pledges/7/sign/",
    )


def text_of(message) -> str:
    return message.get_body(preferencelist=("plain",)).get_content().replace("\r\n", "\n")  # SMTP's line ends


def test_messages_arrive_with_recipients_subject_and_link(smtp, users, django_capture_on_commit_callbacks):
    _controller, inbox = smtp
    addressed(users)
    with django_capture_on_commit_callbacks(execute=True):
        tell(users, ["chair", "member"])
    assert sorted(rcpt for rcpts, _m in inbox.messages for rcpt in rcpts) == ["chair@example.vn", "member@example.vn"]
    _rcpts, message = inbox.messages[0]
    assert "Khối thi đua KTĐ6: đã mở ký giao ước năm 2021" in message["Subject"]
    body = text_of(message)
    assert "https://thidua.angiang.gov.vn/pledges/7/sign/" in body
    assert "Đề nghị các đơn vị ký giao ước.\nHạn ký: 31/03/2021." in body  # line breaks kept
    html = message.get_body(preferencelist=("html",)).get_content()
    assert 'href="https://thidua.angiang.gov.vn/pledges/7/sign/"' in html and "Mở trang" in html
    assert set(Notification.objects.values_list("email", flat=True)) == {Notification.Email.SENT}


def test_nothing_is_sent_before_the_commit_and_nothing_after_a_rollback(
    smtp, users, django_capture_on_commit_callbacks
):
    from django.db import transaction

    _controller, inbox = smtp
    addressed(users)
    with django_capture_on_commit_callbacks(execute=True):
        with pytest.raises(RuntimeError), transaction.atomic():
            tell(users, ["chair"])
            raise RuntimeError("the change failed")
    assert inbox.messages == [] and not Notification.objects.exists()


def test_a_server_that_stops_loses_nothing_and_the_next_run_delivers(smtp, users, django_capture_on_commit_callbacks):
    from django.core.management import call_command

    server, inbox = smtp
    addressed(users)
    with django_capture_on_commit_callbacks(execute=True):
        tell(users, ["chair"], title="Thư thứ nhất")
    assert len(inbox.messages) == 1
    port = server[0].port
    server[0].stop()  # the mail server goes down mid-run
    with django_capture_on_commit_callbacks(execute=True):
        tell(users, ["member", "vice_chair"], title="Thư thứ hai")
    waiting = Notification.objects.filter(title="Thư thứ hai")
    assert waiting.count() == 2
    assert all(n.email == Notification.Email.PENDING and n.email_attempts == 1 and n.email_error for n in waiting)
    server.append(Controller(inbox, hostname="127.0.0.1", port=port))  # back, on the same port
    server[-1].start()
    call_command("send_reminders")
    delivered = sorted(rcpt for rcpts, m in inbox.messages for rcpt in rcpts if "Thư thứ hai" in m["Subject"])
    assert delivered == ["member@example.vn", "vice_chair@example.vn"]
    assert not Notification.objects.mail_due().exists()
    call_command("send_reminders")  # and never twice
    assert len(inbox.messages) == 3


def test_a_refused_recipient_waits_while_the_others_are_sent(smtp, users, django_capture_on_commit_callbacks):
    _controller, inbox = smtp
    addressed(users)
    users["member"].email = "khong-hop-le@"  # the server refuses it
    users["member"].save()
    with django_capture_on_commit_callbacks(execute=True):
        tell(users, ["chair", "member"])
    states = dict(Notification.objects.values_list("user__username", "email"))
    assert states == {"chair": Notification.Email.SENT, "member": Notification.Email.PENDING}
    assert [rcpts for rcpts, _m in inbox.messages] == [["chair@example.vn"]]


@pytest.mark.skipif(connection.vendor != "postgresql", reason="the database queue is tested on PostgreSQL")
def test_the_queue_tries_a_failed_mail_again_later(users, django_capture_on_commit_callbacks):
    """With the database queue (production), a mail the server refused is put back on the queue to run
    later, with a wait that grows with the attempts."""
    from django_tasks_db.models import DBTaskResult

    addressed(users)
    unreachable = {"EMAIL_BACKEND": "django.core.mail.backends.smtp.EmailBackend", "EMAIL_PORT": free_port()}
    with override_settings(TASKS=tasks_setting("database"), EMAIL_HOST="127.0.0.1", EMAIL_TIMEOUT=2, **unreachable):
        with django_capture_on_commit_callbacks(execute=True):
            [notice] = tell(users, ["chair"])
        queued = DBTaskResult.objects.get()  # waiting for a worker: nothing was tried in the request
        notice.refresh_from_db()
        assert notice.email_attempts == 0
        notifications.send_notification_mail.call(notification_ids=[notice.pk])  # what the worker runs
        retry = DBTaskResult.objects.order_by("-enqueued_at").first()
        assert DBTaskResult.objects.count() == 2 and retry.run_after > queued.enqueued_at
    notice.refresh_from_db()
    assert notice.email == Notification.Email.PENDING and notice.email_attempts == 1
