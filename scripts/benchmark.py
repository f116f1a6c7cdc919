#!/usr/bin/env python
"""Benchmark of the main pages and documents on generated data (never asserted by tests).

Builds a throw-away database (SQLite in .bench/ unless BENCH_DATABASE_URL names a PostgreSQL one) with
a council of many blocs, units and years, then reports for each page the median time of several requests,
its query count and the process's peak memory. Run: ``make bench`` or
``.venv/bin/python scripts/benchmark.py --blocs 150 --units 2000 --runs 7``.
"""

import argparse
import os
import resource
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--blocs", type=int, default=150)
    parser.add_argument("--units", type=int, default=2000)
    parser.add_argument("--members", type=int, default=12, help="members per bloc")
    parser.add_argument("--years", type=int, default=10)
    parser.add_argument("--runs", type=int, default=7)
    args = parser.parse_args()

    bench_dir = ROOT / ".bench"
    bench_dir.mkdir(exist_ok=True)
    db_path = bench_dir / "bench.sqlite3"
    if "BENCH_DATABASE_URL" in os.environ:
        os.environ["DATABASE_URL"] = os.environ["BENCH_DATABASE_URL"]
    else:
        db_path.unlink(missing_ok=True)
        os.environ["DATABASE_URL"] = f"sqlite:///{db_path}"
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.test")
    os.environ["DJANGO_ALLOWED_HOSTS"] = "testserver"

    import warnings

    import django

    warnings.filterwarnings("ignore", message="No directory at")  # whitenoise: nothing collected here

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    started = time.perf_counter()
    ids = generate(args)
    print(
        f"generated {args.blocs} blocs, {args.units} units, {args.years} years in {time.perf_counter() - started:.1f} s"
    )

    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    from blocs.models import User

    officer = User.objects.get(username="bench.officer")
    member = User.objects.get(username="bench.member")
    pages = [
        ("home (officer)", officer, "/"),
        ("home (member)", member, "/"),
        ("bloc list", officer, "/blocs/"),
        ("bloc page", officer, f"/blocs/{ids['bloc']}/"),
        ("unit list", officer, "/units/"),
        ("unit page", officer, f"/units/{ids['unit']}/"),
        ("search 'hoi phu nu'", officer, "/search/?q=hoi+phu+nu"),
        ("seats + suggestion", officer, f"/blocs/{ids['bloc']}/seats/{ids['next_year']}/"),
        (
            "membership list PDF (12 members)",
            officer,
            f"/blocs/{ids['bloc']}/members/{ids['year']}/print.pdf",
        ),
        (
            "membership list PDF (40 members)",
            officer,
            f"/blocs/{ids['big_bloc']}/members/{ids['year']}/print.pdf",
        ),
        ("Excel export", officer, "/export.xlsx"),
    ]
    print(f"{'page':40} {'median ms':>10} {'min ms':>8} {'queries':>8}")
    for label, user, url in pages:
        client = Client()
        client.force_login(user)
        times = []
        queries = 0
        for _ in range(args.runs):
            with CaptureQueriesContext(connection) as ctx:
                t0 = time.perf_counter()
                response = client.get(url)
                times.append((time.perf_counter() - t0) * 1000)
            assert response.status_code == 200, (url, response.status_code)
            queries = len(ctx.captured_queries)
        print(f"{label:40} {statistics.median(times):10.1f} {min(times):8.1f} {queries:8d}")
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"peak resident memory of this process: {peak:.0f} MiB")


def generate(args) -> dict:
    from django.db import transaction

    from blocs.models import Bloc, Council, Membership, Seat, Unit, User

    year = 2021
    with transaction.atomic():
        council = Council.objects.create(
            name="Hội đồng Thi đua – Khen thưởng tỉnh Đo Tốc Độ",
            place_name="Đo Tốc Độ",
            parent_body="UBND TỈNH ĐO TỐC ĐỘ",
            issuing_body="HỘI ĐỒNG THI ĐUA – KHEN THƯỞNG",
            current_year=year,
        )
        names = [
            "Hội Liên hiệp Phụ nữ",
            "Sở Tài chính",
            "Liên đoàn Lao động",
            "Hội Nông dân",
            "Ban Dân vận",
            "Đoàn Thanh niên",
        ]
        units = [
            Unit(
                council=council,
                code=f"U{i:05d}",
                name=f"{names[i % len(names)]} số {i}",
                short_name=f"ĐV {i}",
                abbreviations="LHPN" if i % len(names) == 0 else "",
                head_name="Nguyễn Văn A",
                head_title="Giám đốc",
            )
            for i in range(args.units)
        ]
        for unit in units:  # save() computes the search and sort columns
            unit.save()
        blocs = []
        for b in range(args.blocs):
            bloc = Bloc(council=council, name=f"Khối thi đua số {b}", code=f"K{b}")
            bloc.save()
            blocs.append(bloc)
        memberships, seats = [], []
        first_year = year - args.years + 1
        for b, bloc in enumerate(blocs):
            size = 40 if b == 1 else args.members
            members = [units[(b * args.members + k) % len(units)] for k in range(size)]
            memberships += [
                Membership(bloc=bloc, unit=u, first_year=first_year, display_order=k + 1) for k, u in enumerate(members)
            ]
            for y in range(first_year, year + 1):
                seats.append(Seat(bloc=bloc, year=y, unit=members[y % size], rank=0))
                seats.append(Seat(bloc=bloc, year=y, unit=members[(y + 1) % size], rank=1))
        Membership.objects.bulk_create(memberships, batch_size=2000)
        Seat.objects.bulk_create(seats, batch_size=2000)
        User.objects.create_user("bench.officer", password="x", council=council)
        User.objects.create_user("bench.member", password="x", council=council, unit=units[0])
    return {
        "bloc": blocs[0].pk,
        "big_bloc": blocs[1].pk,
        "unit": units[0].pk,
        "year": year,
        "next_year": year + 1,
    }


if __name__ == "__main__":
    main()
