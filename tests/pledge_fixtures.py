"""Pledges in each state, built on the base fixtures of tests/conftest.py (a bloc of five members,
seats for 2021: the chair unit and one vice-chair).

Bring the fixtures into a test module with a star import (``__all__`` lists only the fixtures, so ruff
sees no redefinition of an imported name when a test takes one as its argument):

    from .pledge_fixtures import *  # noqa: F403
    from .pledge_fixtures import SIGNING_DAY, make_draft
"""

from __future__ import annotations

from datetime import date

import pytest

from pledges.models import PledgeVersion
from pledges.services import (
    SectionText,
    pledge_create,
    pledge_draft_save,
    pledge_signatures_record,
    pledge_signing_open,
)

from .conftest import YEAR

__all__ = ["drafting", "final", "heads", "signing"]

SIGNING_DAY = date(2020, 12, 29)
SECTIONS = [
    SectionText("Mục tiêu", "Hoàn thành toàn diện các chỉ tiêu, nhiệm vụ năm 2021."),
    SectionText(
        "Nội dung giao ước",
        "1. Phát triển hội viên tăng ít nhất 2% so với năm 2020.\n2. 100% cán bộ hoàn thành nhiệm vụ.",
    ),
    SectionText("Tổ chức thực hiện", "Khối trưởng theo dõi, đôn đốc các đơn vị thực hiện."),
]
PREAMBLE = "Các đơn vị thành viên thống nhất ký kết giao ước thi đua năm 2021 với các nội dung sau:"
# Distinct heads, so a PDF test can tell every signatory from the others.
HEADS = {
    "chair_unit": ("Chủ tịch", "Trần Thị Bích Vân"),
    "vice_unit": ("Chủ tịch", "Lê Minh Tâm"),
    "member_unit": ("Chủ tịch", "Nguyễn Thị Kim Loan"),
    "farmers": ("Chủ tịch", "Võ Văn Thành"),
    "veterans": ("Chủ tịch", "Huỳnh Văn Sáu"),
}


def make_draft(bloc, *, year: int = YEAR, by=None, sections=SECTIONS, signing_date=SIGNING_DAY) -> PledgeVersion:
    pledge = pledge_create(bloc=bloc, year=year, by=by)
    version = pledge.versions.get()
    return pledge_draft_save(
        version=version,
        revision=version.revision,
        title=version.title,
        preamble=PREAMBLE,
        signing_date=signing_date,
        signing_place="Hội trường Ủy ban MTTQ tỉnh",
        sections=sections,
        by=by,
    )


@pytest.fixture
def heads(units):
    for key, (title, name) in HEADS.items():
        unit = units[key]
        unit.head_title, unit.head_name = title, name
        unit.save()
    return units


@pytest.fixture
def drafting(bloc, units, seats, users, heads) -> PledgeVersion:
    return make_draft(bloc, by=users["officer"])


@pytest.fixture
def signing(drafting, users) -> PledgeVersion:
    return pledge_signing_open(version=drafting, by=users["chair"])


@pytest.fixture
def final(signing, users) -> PledgeVersion:
    """Every member signed on paper on SIGNING_DAY (the PDF is not made: on_commit never runs in a test
    transaction unless captured)."""
    pledge_signatures_record(version=signing, signed_on=SIGNING_DAY, by=users["chair"])
    signing.refresh_from_db()
    assert signing.is_final
    return signing
