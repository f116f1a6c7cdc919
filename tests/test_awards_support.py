"""Shared fixtures and helpers of the awards tests (no tests here). Import what a module needs:

    from .test_awards_support import awards, draft, pdf_upload, proposal  # noqa: F401  (fixtures)

They build on tests/conftest.py: one council (An Giang) with a bloc of five members from 2018, seats of
2021 (chair MTTQ, vice-chair LĐLĐ) and the seven users. Every council has the standard catalogue from the
moment it is created (awards.apps), so ``awards`` only looks the types up.
"""

from __future__ import annotations

import re
import unicodedata
from datetime import date

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import translation

from awards import services
from awards.catalogue import (
    BLOC_EXEMPLARY_COLLECTIVE,
    BLOC_EXEMPLARY_INDIVIDUAL,
    CHAIRMAN_CERTIFICATE,
    GOVERNMENT_FLAG,
    PROVINCIAL_FLAG,
    THEMATIC_CERTIFICATE,
)
from awards.models import AwardRule, AwardType, Proposal

from .conftest import YEAR

__all__ = [
    "BLOC_EXEMPLARY_COLLECTIVE",
    "BLOC_EXEMPLARY_INDIVIDUAL",
    "CHAIRMAN_CERTIFICATE",
    "GOVERNMENT_FLAG",
    "PROVINCIAL_FLAG",
    "THEMATIC_CERTIFICATE",
]

PDF_BYTES = b"%PDF-1.4\n1 0 obj <</Type/Catalog>> endobj\ntrailer <</Root 1 0 R>>\n%%EOF\n"
ACCLAIMED = services.Tally(acclamation=True)


def pdf_file(name: str = "bao-cao.pdf") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, PDF_BYTES, content_type="application/pdf")


def ballot(present: int, cast: int, votes: int) -> services.Tally:
    return services.Tally(members_present=present, ballots_cast=cast, votes_for=votes)


def collapse(text: str) -> str:
    return re.sub(r"\s+", " ", unicodedata.normalize("NFC", text)).strip()


@pytest.fixture(autouse=True)
def english():
    """Messages are checked in English (the msgids), whatever the Vietnamese catalogue says."""
    with translation.override("en"):
        yield


@pytest.fixture(autouse=True)
def awards_checks_only():
    """Submissions here meet only the awards' own dossier checks. Other apps register theirs (the meetings
    app: "the conference minutes are final"); their tests cover them, and one test here registers its own."""
    from awards import registry

    with registry.dossier_checks_suspended():
        yield


@pytest.fixture
def awards(council) -> dict[str, AwardType]:
    """The fixture council's award types by code."""
    return {t.code: t for t in AwardType.objects.filter(council=council)}


@pytest.fixture
def pdf_upload():
    return pdf_file


@pytest.fixture
def proposal(bloc, units, seats, awards):
    """``proposal("LDLD")`` makes a draft for the bloc's 2021: a member unit (by its fixture key or code),
    the provincial flag by acclamation with an achievement report, unless told otherwise."""
    by_code = {unit.code: unit for unit in units.values()}

    def make(
        unit="LDLD",
        *,
        type_code=PROVINCIAL_FLAG,
        year=YEAR,
        tally=ACCLAIMED,
        report=True,
        collective_name="",
        person=None,
        bloc_=None,
        by=None,
    ) -> Proposal:
        target = units.get(unit) or by_code[unit]
        person_obj = None
        if person:
            name, position = person if isinstance(person, tuple) else (person, "Chuyên viên")
            person_obj = services.person_get_or_create(unit=target, name=name, position=position)
        return services.proposal_save(
            bloc=bloc_ or bloc,
            year=year,
            award_type=awards[type_code],
            unit=target,
            collective_name=collective_name,
            person=person_obj,
            tally=tally,
            achievement_report=pdf_file() if report else None,
            by=by,
        )

    return make


@pytest.fixture
def rule(awards):
    """``rule(PROVINCIAL_FLAG, "threshold", threshold_numerator=2, ...)`` saves a rule through the service."""

    def make(type_code, kind, *, bloc=None, requires=None, **values) -> AwardRule:
        item = AwardRule(award_type=awards[type_code], kind=kind, bloc=bloc, **values)
        if requires:
            item.requires_type = awards[requires]
        return services.award_rule_save(rule=item)

    return make


@pytest.fixture
def walk(bloc, users):
    """Helpers that move proposals along the states through the services."""

    class Walk:
        officer = users["officer"]
        chair = users["chair"]

        def submit(self, *proposals, on: date | None = None, year=YEAR):
            return services.submission_create(bloc=bloc, year=year, proposals=list(proposals), by=self.chair, on=on)

        def approve(self, *proposals):
            for p in proposals:
                services.proposal_approve(proposal=p, by=self.officer)

        def decide(self, *proposals, number="123/QĐ-UBND", on=date(2022, 3, 1)):
            return services.decision_record(
                council=bloc.council,
                number=number,
                date=on,
                signer="Nguyễn Văn Bình, Chủ tịch UBND tỉnh",
                proposals=list(proposals),
                by=self.officer,
            )

        def to_decided(self, *proposals, number="123/QĐ-UBND"):
            self.submit(*proposals)
            self.approve(*proposals)
            return self.decide(*proposals, number=number)

    return Walk()


def reload(proposal: Proposal) -> Proposal:
    return Proposal.objects.get(pk=proposal.pk)
