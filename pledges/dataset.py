"""Generated pledges (``manage.py generate_dataset``): a pledge per bloc-year, with versions, sections and
signatures, written in bulk with their history rows. Only this app's tables are written.

Past years' pledges are final, signed by every member unit on the day of the year-end conference before
(the pledge for year Y is signed at the conference reviewing Y−1); about one in ten has a second, corrected
version. This year's pledges are final or still being signed (some units signed); some blocs are drafting
next year's. The plan and the base records come from ``blocs.dataset``. The scoring tables, sheets and
rankings, linked to these pledges, are ``pledges.scoring.dataset``'s, and so are their bench pages.
"""

from __future__ import annotations

from datetime import date, timedelta

from django.urls import reverse

from blocs.dataset import BenchActors, BenchDocument, BenchPage, Dataset, bulk_with_history, nfc
from blocs.models import Bloc, Unit

from .models import Pledge, PledgeSection, PledgeSignatory, PledgeVersion, default_title
from .scoring import dataset as scoring_dataset

SECTIONS = [
    ("Mục tiêu", "Thi đua hoàn thành xuất sắc nhiệm vụ chính trị năm {y}.\nĐẩy mạnh cải cách hành chính."),
    (
        "Nội dung giao ước",
        "1. Hoàn thành 100% chỉ tiêu được giao năm {y}.\n2. Không có cán bộ vi phạm kỷ luật.\n"
        "3. Thực hiện tốt phong trào thi đua của Khối.",
    ),
    ("Tổ chức thực hiện", "Các đơn vị thành viên quán triệt nội dung giao ước đến toàn thể cán bộ."),
]
PREAMBLE = "Các đơn vị thành viên thống nhất ký kết giao ước thi đua năm {y} với các nội dung sau:"


def dataset_generate(*, dataset: Dataset) -> None:
    rng = dataset.rng("pledges")
    pledges, plans = [], []
    for bloc, year, members in dataset.bloc_years():
        state = "final"
        if year == dataset.last_year and rng.random() < 0.4:
            state = "signing"
        corrected = state == "final" and rng.random() < 0.1
        pledges.append(Pledge(bloc=bloc, year=year, created_at=dataset.aware(_signing_day(dataset, bloc, year))))
        plans.append((bloc, year, members, state, corrected))
    for bloc in dataset.blocs:
        if rng.random() < 0.3:  # next year's pledge in drafting
            year = dataset.last_year + 1
            members = dataset.members[bloc.pk, dataset.last_year]
            pledges.append(Pledge(bloc=bloc, year=year, created_at=dataset.aware(date(year - 1, 11, 20))))
            plans.append((bloc, year, members, "drafting", False))
    pledges = bulk_with_history(dataset, Pledge, pledges)
    versions, slots = [], []
    for pledge, (bloc, year, members, state, corrected) in zip(pledges, plans, strict=True):
        day = _signing_day(dataset, bloc, year)
        versions.append(_version(dataset, pledge, 1, "final" if corrected else state, day))
        slots.append(members)
        if corrected:
            versions.append(_version(dataset, pledge, 2, "final", day + timedelta(days=30)))
            slots.append(members)
    versions = bulk_with_history(dataset, PledgeVersion, versions)
    sections_create(dataset, versions)
    signatories_create(dataset, rng, versions, slots)
    scoring_dataset.dataset_generate(dataset=dataset, pledges={(p.bloc_id, p.year): p for p in pledges})


def _signing_day(dataset: Dataset, bloc: Bloc, year: int) -> date:
    if year - 1 in dataset.year_range:
        return dataset.conference_date(bloc, year - 1)
    return date(year, 1, 10)


def _version(dataset: Dataset, pledge: Pledge, number: int, state: str, day: date) -> PledgeVersion:
    year = pledge.year
    opened = dataset.aware(day - timedelta(days=7)) if state != "drafting" else None
    return PledgeVersion(
        pledge=pledge,
        number=number,
        state=state,
        reason="Sửa tên đơn vị thành viên sau sáp nhập." if number > 1 else "",
        title=default_title(year),
        preamble=PREAMBLE.format(y=year),
        signing_date=day if state != "drafting" else None,
        signing_place=nfc(f"Hội trường {pledge.bloc.council.place_name}"),
        created_at=dataset.aware(day - timedelta(days=20)),
        updated_at=dataset.aware(day - timedelta(days=10)),
        signing_opened_at=opened,
        finalised_at=dataset.aware(day, 16) if state == "final" else None,
    )


def sections_create(dataset: Dataset, versions: list[PledgeVersion]) -> None:
    rows = [
        PledgeSection(version=version, position=position, heading=heading, body=nfc(body.format(y=version.pledge.year)))
        for version in versions
        for position, (heading, body) in enumerate(SECTIONS, start=1)
    ]
    bulk_with_history(dataset, PledgeSection, rows)


def signatories_create(dataset: Dataset, rng, versions: list[PledgeVersion], slots: list[list[Unit]]) -> None:
    """Signature slots of every version past drafting (its year's members); final ones signed by all, a
    version being signed by about half."""
    rows = []
    for version, members in zip(versions, slots, strict=True):
        if version.state == "drafting":
            continue
        for position, unit in enumerate(members, start=1):
            signed = version.state == "final" or rng.random() < 0.5
            rows.append(_signatory(dataset, rng, version, unit, position, signed))
    bulk_with_history(dataset, PledgeSignatory, rows)


def _signatory(dataset: Dataset, rng, version: PledgeVersion, unit: Unit, position: int, signed: bool):
    portal = rng.random() < 0.3
    return PledgeSignatory(
        version=version,
        unit=unit,
        position=position,
        unit_name=unit.name,
        signatory_name=unit.head_name,
        signatory_title=unit.head_title,
        confirmed=signed and portal,
        signed_on=version.signing_date if signed else None,
        signed_at=dataset.aware(version.signing_date, 10) if signed else None,
        method=(PledgeSignatory.Method.PORTAL if portal else PledgeSignatory.Method.PAPER) if signed else "",
        recorded_by=dataset.unit_users.get(unit.pk) if signed and portal else None,
    )


# ═══ Bench ═════════════════════════════════════════════════════════════════════════════════════════════


def bench_pages(*, actors: BenchActors) -> list[BenchPage]:
    return [
        BenchPage("pledge page", reverse("pledges:pledge_detail", args=[actors.bloc.pk, actors.year - 1])),
        *scoring_dataset.bench_pages(actors=actors),
    ]


def bench_documents(*, actors: BenchActors) -> list[BenchDocument]:
    """The bench bloc's final pledge of last year (every member signed), as PDF and as Word."""
    version = (
        PledgeVersion.objects.filter(pledge__bloc=actors.bloc, pledge__year=actors.year - 1, state="final")
        .order_by("-number")
        .first()
    )
    if version is None:
        return scoring_dataset.bench_documents(actors=actors)
    units = version.signatories.count()

    def render() -> bytes:
        from .printing import pledge_pdf_render

        return pledge_pdf_render(version=version, number_text="01/GU-BENCH")

    def render_word() -> bytes:
        from documents.docx import content_docx

        from .printing import pledge_content

        return content_docx(pledge_content(version=version), number_text="01/GU-BENCH")

    return [
        BenchDocument(f"pledge PDF ({units} units)", render),
        BenchDocument(f"pledge Word ({units} units)", render_word),
        *scoring_dataset.bench_documents(actors=actors),
    ]
