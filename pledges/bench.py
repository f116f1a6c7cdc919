"""PDF render time of a pledge with 9 and with 40 member units (median of several runs).

Run from the project root:

    .venv/bin/python -m pledges.bench            # 5 runs each
    .venv/bin/python -m pledges.bench --runs 9 --sizes 9 40 80

Builds a throw-away SQLite database in a temporary folder (nothing else is touched), a bloc per size with
that many members, each with a final pledge (three sections, every unit signed), then renders each
pledge's PDF ``--runs`` times after one warm-up render (fonts load once per process) and prints the
median, the fastest and slowest time and the page count. Never run by the tests.
"""

from __future__ import annotations

import argparse
import io
import os
import statistics
import sys
import tempfile
import time
from datetime import date
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--sizes", type=int, nargs="+", default=[9, 40])
    args = parser.parse_args()

    sys.path.insert(0, str(ROOT))
    workdir = tempfile.mkdtemp(prefix="pledges-bench-")
    os.environ["DATABASE_URL"] = f"sqlite:///{workdir}/bench.sqlite3"
    os.environ["DJANGO_MEDIA_ROOT"] = f"{workdir}/media"
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.test")

    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    versions = {size: build(size) for size in args.sizes}

    from pypdf import PdfReader

    from pledges.printing import pledge_pdf_render

    print(f"{'members':>8} {'median ms':>10} {'min ms':>8} {'max ms':>8} {'pages':>6}")
    for size, version in versions.items():
        pdf = pledge_pdf_render(version=version, number_text="01/GU-BENCH")  # warm-up
        times = []
        for _ in range(args.runs):
            started = time.perf_counter()
            pdf = pledge_pdf_render(version=version, number_text="01/GU-BENCH")
            times.append((time.perf_counter() - started) * 1000)
        pages = len(PdfReader(io.BytesIO(pdf)).pages)
        print(f"{size:8d} {statistics.median(times):10.1f} {min(times):8.1f} {max(times):8.1f} {pages:6d}")


def build(size: int):
    """A bloc of ``size`` members with a final 2021 pledge signed by all (through the services)."""
    from blocs.models import Bloc, Council, Membership, Unit
    from pledges.services import (
        SectionText,
        pledge_create,
        pledge_draft_save,
        pledge_signatures_record,
        pledge_signing_open,
    )

    council, _ = Council.objects.get_or_create(
        name="Hội đồng Thi đua – Khen thưởng tỉnh Đo Tốc Độ",
        defaults={
            "place_name": "Đo Tốc Độ",
            "parent_body": "UBND TỈNH ĐO TỐC ĐỘ",
            "issuing_body": "HỘI ĐỒNG THI ĐUA – KHEN THƯỞNG",
            "current_year": 2021,
        },
    )
    bloc = Bloc.objects.create(council=council, name=f"Khối thi đua {size} thành viên", code=f"K{size}")
    for n in range(size):
        unit = Unit.objects.create(
            council=council,
            code=f"B{size}-{n}",
            name=f"Hội Liên hiệp Phụ nữ số {n + 1} tỉnh Đo Tốc Độ",
            head_title="Chủ tịch",
            head_name=f"Nguyễn Thị Thử {n + 1}",
        )
        Membership.objects.create(bloc=bloc, unit=unit, first_year=2018, display_order=n + 1)
    pledge = pledge_create(bloc=bloc, year=2021, by=None)
    version = pledge.versions.get()
    body = "\n".join(f"{i}. Cam kết số {i}: hoàn thành vượt mức chỉ tiêu được giao năm 2021." for i in range(1, 7))
    version = pledge_draft_save(
        version=version,
        revision=version.revision,
        title=version.title,
        preamble="Các đơn vị thành viên thống nhất ký kết giao ước thi đua năm 2021 với các nội dung sau:",
        signing_date=date(2020, 12, 29),
        signing_place="Hội trường tỉnh",
        sections=[
            SectionText("Mục tiêu", body),
            SectionText("Nội dung giao ước", body),
            SectionText("Tổ chức thực hiện", body),
        ],
        by=None,
    )
    version = pledge_signing_open(version=version, by=None)
    pledge_signatures_record(version=version, signed_on=date(2020, 12, 29), by=None)
    version.refresh_from_db()
    return version


if __name__ == "__main__":
    main()
