"""``manage.py loadtest [--duration S] [--connections N] [--workers W]``: throughput under concurrent load.

Starts gunicorn (sync workers, 127.0.0.1 only, production settings) on the current database, then drives it
with wrk — one bounded run per page: the floor (the password-change form), the home page as officer and as
member, the bench bloc's page, a member unit's page and the bloc's membership-list PDF — and prints requests
per second, the 95th-percentile latency, the responses other than 200 (a redirect to the login page
counts) and socket errors, with each page's throughput as a share of the floor's in the same run. The
users and pages are the benchmark's (``blocs.dataset.bench_actors``); each page is requested with a real
session of its user, created in the database the server reads.

Needs PostgreSQL (``DATABASE_URL``; SQLite serialises writers and says nothing about production) and wrk
(``scripts/system-deps.sh load`` installs it). Never run by CI: the figures are for the README's
performance section. Only 127.0.0.1 is ever addressed.
"""

from __future__ import annotations

import os
import re
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.test import Client
from django.urls import reverse

from blocs.dataset import bench_actors

# wrk's summary printed by its Lua ``done`` hook: the run's own p95 and error counts, machine-readable.
WRK_SCRIPT = """
wrk.headers["Cookie"] = os.getenv("LOADTEST_COOKIE")
wrk.headers["X-Forwarded-Proto"] = "https"
-- wrk counts only 4xx/5xx as errors; a redirect (to the login page, say) is a failure here too. Each wrk
-- thread has its own Lua state: they count, and done (in the main state) adds their counts up.
local threads = {}
function setup(thread) table.insert(threads, thread) end
function init(args) not_ok = 0 end
function response(status, headers, body)
  if status >= 300 then not_ok = not_ok + 1 end
end
function done(summary, latency, requests)
  local bad = 0
  for _, thread in ipairs(threads) do bad = bad + thread:get("not_ok") end
  local e = summary.errors
  io.write(string.format("LOADTEST %d %f %f %d %d\\n", summary.requests, summary.duration / 1e6,
    latency:percentile(95) / 1000, math.max(bad, e.status), e.connect + e.read + e.write + e.timeout))
end"""


@dataclass
class LoadResult:
    label: str
    requests: int
    per_second: float
    p95_ms: float
    non_2xx: int
    socket_errors: int


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class Command(BaseCommand):
    help = "Load-test the main pages under gunicorn with wrk (PostgreSQL, 127.0.0.1 only)."

    def add_arguments(self, parser):
        parser.add_argument("--duration", type=int, default=15, help="seconds per page (default 15)")
        parser.add_argument("--connections", type=int, default=16, help="concurrent connections (default 16)")
        parser.add_argument("--workers", type=int, default=4, help="gunicorn sync workers (default 4)")

    def handle(self, *args, duration: int, connections: int, workers: int, **options):
        if settings.DATABASES["default"]["ENGINE"] != "django.db.backends.postgresql":
            raise CommandError("The load test runs on PostgreSQL: set DATABASE_URL.")
        wrk = shutil.which("wrk")
        if wrk is None:
            raise CommandError("wrk is not installed: scripts/system-deps.sh load")
        pages = self.pages()
        port = free_port()
        with tempfile.TemporaryDirectory(prefix="thidua-loadtest-") as tmp:
            server = self.server_start(port, workers)
            try:
                script = Path(tmp) / "summary.lua"
                script.write_text(WRK_SCRIPT)
                results = [
                    self.page_load(wrk, script, port, label, url, cookie, duration, connections)
                    for label, url, cookie in pages
                ]
            finally:
                server.terminate()
                server.wait(timeout=30)
        self.print_table(results, duration, connections, workers)

    def pages(self) -> list[tuple[str, str, str]]:
        """(label, address, session cookie) for the floor and each page, as the benchmark's users."""
        actors = bench_actors()
        cookies = {}
        for role in ("officer", "member"):
            client = Client()
            client.force_login(actors.users[role])
            cookies[role] = f"{settings.SESSION_COOKIE_NAME}={client.cookies[settings.SESSION_COOKIE_NAME].value}"
        bloc, unit, year = actors.bloc, actors.unit, actors.year
        return [
            ("floor: password form", reverse("blocs:password_change"), cookies["officer"]),
            ("home (officer)", reverse("blocs:home"), cookies["officer"]),
            ("home (member)", reverse("blocs:home"), cookies["member"]),
            ("bloc page", reverse("blocs:bloc_detail", args=[bloc.pk]), cookies["officer"]),
            ("unit page", reverse("blocs:unit_detail", args=[unit.pk]), cookies["officer"]),
            ("membership list PDF", reverse("blocs:bloc_members_pdf", args=[bloc.pk, year]), cookies["officer"]),
        ]

    def server_start(self, port: int, workers: int) -> subprocess.Popen:
        """gunicorn with the production settings on this database, its static files collected first."""
        env = {
            **os.environ,
            "DJANGO_SETTINGS_MODULE": "config.settings.production",
            # The sessions were signed here (the login hash is derived from the key): the server needs the same.
            "DJANGO_SECRET_KEY": settings.SECRET_KEY,
            "DJANGO_ALLOWED_HOSTS": "127.0.0.1",
        }
        manage = [sys.executable, str(Path(settings.BASE_DIR) / "manage.py")]
        subprocess.run([*manage, "collectstatic", "--noinput", "-v0"], env=env, check=True)
        gunicorn = Path(sys.executable).with_name("gunicorn")
        server = subprocess.Popen(
            [str(gunicorn), "config.wsgi", "--workers", str(workers), "--bind", f"127.0.0.1:{port}"],
            env=env,
            cwd=settings.BASE_DIR,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        try:
            self.server_wait(port)
        except BaseException:
            server.terminate()  # never leave a server behind, whatever stopped the wait
            raise
        return server

    def server_wait(self, port: int) -> None:
        # As the TLS-terminating proxy would say, or the portal redirects to https.
        login = urllib.request.Request(
            f"http://127.0.0.1:{port}{reverse('blocs:login')}", headers={"X-Forwarded-Proto": "https"}
        )
        for _ in range(100):
            try:
                urllib.request.urlopen(login, timeout=1)
                return
            except OSError:
                time.sleep(0.2)
        raise CommandError("gunicorn did not answer on 127.0.0.1 within 20 s.")

    def page_load(self, wrk, script, port, label, url, cookie, duration, connections) -> LoadResult:
        self.stderr.write(f"{label}: {duration} s at {connections} connections…")
        out = subprocess.run(
            [
                wrk,
                "-t2",
                f"-c{connections}",
                f"-d{duration}s",
                "--timeout",
                "30s",
                "-s",
                str(script),
                f"http://127.0.0.1:{port}{url}",
            ],
            env={**os.environ, "LOADTEST_COOKIE": cookie},
            capture_output=True,
            text=True,
            check=True,
        ).stdout
        match = re.search(r"^LOADTEST (\d+) ([\d.]+) ([\d.]+) (\d+) (\d+)$", out, re.M)
        if match is None:
            raise CommandError(f"wrk printed no summary for {label}:\n{out}")
        requests, seconds, p95, non_2xx, errors = match.groups()
        return LoadResult(label, int(requests), int(requests) / float(seconds), float(p95), int(non_2xx), int(errors))

    def print_table(self, results: list[LoadResult], duration: int, connections: int, workers: int) -> None:
        floor = results[0].per_second or 1.0
        self.stdout.write(
            f"gunicorn {workers} sync workers, wrk {connections} connections, {duration} s per page, "
            f"{os.cpu_count()} cores"
        )
        self.stdout.write(f"{'page':<24} {'req/s':>8} {'× floor':>8} {'p95 ms':>8} {'non-2xx':>8} {'errors':>7}")
        for r in results:
            self.stdout.write(
                f"{r.label:<24} {r.per_second:>8.1f} {r.per_second / floor:>8.2f} {r.p95_ms:>8.1f} "
                f"{r.non_2xx:>8} {r.socket_errors:>7}"
            )
