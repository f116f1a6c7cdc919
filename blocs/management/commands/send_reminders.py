"""Send the deadline reminders due today, and the e-mail still waiting: run from cron or a systemd timer
(README, "Reminders and e-mail"). Idempotent: a reminder already sent is never sent again."""

from __future__ import annotations

from datetime import date, datetime

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone, translation

from blocs import notifications, services
from blocs.models import Notification
from blocs.reminders import reminders_due


class Command(BaseCommand):
    help = "Send the deadline reminders due today (each once) and the notifications' e-mail still waiting."

    def add_arguments(self, parser):
        parser.add_argument("--dry-run", action="store_true", help="Print what would be sent; change nothing.")
        parser.add_argument("--today", help="Run as if today were this day (dd/mm/yyyy), e.g. to catch up.")

    def handle(self, *args, dry_run: bool = False, today: str | None = None, **options):
        with translation.override(settings.LANGUAGE_CODE):
            self._run(dry_run=dry_run, today=self._day(today))

    def _day(self, typed: str | None) -> date:
        if not typed:
            return timezone.localdate()
        try:
            return datetime.strptime(typed, "%d/%m/%Y").date()
        except ValueError as error:
            raise CommandError(f"--today takes a day as dd/mm/yyyy, not {typed!r}") from error

    def _run(self, *, dry_run: bool, today: date) -> None:
        made = 0
        for reminder in reminders_due(today=today):
            told = set(
                Notification.objects.filter(key=reminder.key, user__in=reminder.users).values_list("user_id", flat=True)
            )
            users = [user for user in reminder.users if user.pk not in told]
            if not users:
                continue
            names = ", ".join(user.username for user in users)
            self.stdout.write(f"{'(thử) ' if dry_run else ''}{reminder.title} → {names}")
            if not dry_run:
                made += len(
                    services.notification_send(
                        kind=reminder.kind,
                        users=users,
                        title=reminder.title,
                        body=reminder.body,
                        url=reminder.url,
                        key=reminder.key,
                    )
                )
        waiting = Notification.objects.mail_due().count()
        if dry_run:
            self.stdout.write(f"(thử) {waiting} thư đang chờ gửi; không gửi gì, không ghi gì.")
            return
        # Every notice still waiting for its e-mail (the server was down, the queue lost a job) goes now.
        run = notifications.mail_deliver()
        self.stdout.write(
            f"Đã tạo {made} thông báo nhắc hạn; đã gửi {len(run.sent)} thư; {len(run.failed)} thư chưa gửi được, "
            "sẽ gửi lại ở lần chạy sau."
        )
