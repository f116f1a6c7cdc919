"""``manage.py bench [--runs N] [--json FILE]``: the main pages and documents, timed on the current database.

One run, in process: every page that the installed apps' ``dataset`` modules list (``bench_pages``) is
requested through the whole middleware stack with ``django.test.Client`` as the biggest council's
officer, the chair and a plain member of its biggest bloc (and a superuser, for pages that list every
council), ``--runs`` times after one warm-up request; the table gives the status, the median and
95th-percentile server time, the query count and each median as a multiple of the floor's, measured in
the same run. The floor is the cheapest page a signed-in user gets through the same middleware: the
password-change form (``GET /accounts/password/``). The documents (``bench_documents``: the membership
list, the council's Excel export, a pledge, the ranking and the minutes of the biggest bloc, the longest
proposal list) are made ``--runs`` times (3 at most) with the median time and the peak Python memory of one
(tracemalloc).

Never run by CI: the numbers are for the README's performance section, not for assertions.
"""

from __future__ import annotations

import json
import resource
import statistics
import time
import tracemalloc
from dataclasses import asdict, dataclass

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext, override_settings
from django.urls import reverse

from blocs.dataset import BenchActors, BenchPage, bench_actors

from .generate_dataset import dataset_modules

FLOOR = "floor: password form"


@dataclass
class PageResult:
    label: str
    role: str
    url: str
    status: int
    median_ms: float
    p95_ms: float
    queries: int
    floor_multiple: float = 0.0


@dataclass
class DocumentResult:
    label: str
    median_ms: float
    peak_mib: float
    size_kib: float


def p95(values: list[float]) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(0.95 * (len(ordered) - 1)))]


def page_measure(client: Client, page: BenchPage, role: str, runs: int) -> PageResult:
    client.get(page.url, secure=True)  # warm-up: templates, caches, the session
    times, queries, status = [], 0, 0
    for _ in range(runs):
        with CaptureQueriesContext(connection) as captured:
            started = time.perf_counter()
            response = client.get(page.url, secure=True)
            times.append((time.perf_counter() - started) * 1000)
        status, queries = response.status_code, len(captured.captured_queries)
    return PageResult(page.label, role, page.url, status, statistics.median(times), p95(times), queries)


def document_measure(document, runs: int) -> DocumentResult:
    content = document.render()  # warm-up: fonts load once per process
    times = []
    for _ in range(runs):
        started = time.perf_counter()
        document.render()
        times.append((time.perf_counter() - started) * 1000)
    tracemalloc.start()
    document.render()
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    return DocumentResult(document.label, statistics.median(times), peak / 2**20, len(content) / 1024)


class Command(BaseCommand):
    help = "Time the main pages (median, p95, queries, × floor) and documents (median, peak memory)."

    def add_arguments(self, parser):
        parser.add_argument("--runs", type=int, default=15, help="Timed requests per page and role.")
        parser.add_argument("--json", dest="json_file", default="", help="Also write the results to this file.")

    def handle(self, *args, runs: int, json_file: str, **options):
        if runs < 1:
            raise CommandError("--runs must be at least 1.")
        try:
            actors = bench_actors()
        except LookupError as error:
            raise CommandError(str(error)) from error
        with override_settings(ALLOWED_HOSTS=[*settings.ALLOWED_HOSTS, "testserver"]):
            pages = self.pages_measure(actors, runs)
            documents = self.documents_measure(actors, runs)
        self.print_table(actors, pages, documents)
        if json_file:
            with open(json_file, "w", encoding="utf-8") as handle:
                json.dump(self.as_json(actors, pages, documents, runs), handle, ensure_ascii=False, indent=2)

    def pages_measure(self, actors: BenchActors, runs: int) -> list[PageResult]:
        clients = {}
        for role, user in actors.users.items():
            if user is not None:
                clients[role] = Client()
                clients[role].force_login(user)
        floor = page_measure(
            clients["officer"], BenchPage(FLOOR, reverse("blocs:password_change")), "officer", runs * 2
        )
        results = [floor]
        for module in dataset_modules():
            for page in module.bench_pages(actors=actors):
                for role in page.roles:
                    if role in clients:
                        results.append(page_measure(clients[role], page, role, runs))
        for result in results:
            result.floor_multiple = result.median_ms / floor.median_ms if floor.median_ms else 0.0
        return results

    def documents_measure(self, actors: BenchActors, runs: int) -> list[DocumentResult]:
        documents = [doc for module in dataset_modules() for doc in module.bench_documents(actors=actors)]
        return [document_measure(document, max(1, min(runs, 3))) for document in documents]

    def print_table(self, actors: BenchActors, pages: list[PageResult], documents: list[DocumentResult]) -> None:
        out = self.stdout
        out.write(self.context_line(actors))
        out.write(f"{'page':34} {'as':8} {'status':>6} {'median ms':>10} {'p95 ms':>8} {'queries':>8} {'× floor':>8}")
        for r in pages:
            out.write(
                f"{r.label:34} {r.role:8} {r.status:6d} {r.median_ms:10.1f} {r.p95_ms:8.1f} {r.queries:8d} "
                f"{r.floor_multiple:8.1f}"
            )
        out.write(f"{'document':34} {'':8} {'':>6} {'median ms':>10} {'peak MiB':>8} {'KiB':>8}")
        for d in documents:
            out.write(f"{d.label:34} {'':8} {'':>6} {d.median_ms:10.1f} {d.peak_mib:8.1f} {d.size_kib:8.0f}")
        peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
        out.write(f"peak resident memory of this process: {peak:.0f} MiB")

    def context_line(self, actors: BenchActors) -> str:
        from blocs.models import Bloc, Council, Unit

        return (
            f"database {connection.vendor}: {Council.objects.count()} councils, {Bloc.objects.count()} blocs, "
            f"{Unit.objects.count()} units; measured as {actors.council.name} "
            f"({actors.council.blocs.count()} blocs), bloc {actors.bloc.code} "
            f"({actors.bloc.memberships.covering(actors.year).count()} members), year {actors.year}"
        )

    def as_json(self, actors: BenchActors, pages, documents, runs: int) -> dict:
        return {
            "context": self.context_line(actors),
            "runs": runs,
            "pages": [asdict(r) for r in pages],
            "documents": [asdict(d) for d in documents],
        }
