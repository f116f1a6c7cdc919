"""Pledges: their rules at the service and database level.

One pledge per bloc and year; only the frozen signatories sign; a unit signs a version once; a draft
saved by someone else meanwhile is not overwritten; a final version never changes and a correction is a
new version; uploads are checked by content and size and a failed one leaves the previous scan in place;
a render failure after finalisation is recorded, never loses the finalisation.
"""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import IntegrityError, transaction
from django.utils import timezone

from blocs.services import seats_set
from documents.models import DocumentCounter, IssuedDocument
from pledges.models import Pledge, PledgeScan, PledgeSection, PledgeSignatory, PledgeVersion
from pledges.services import (
    DraftConflict,
    PledgePdfUnavailable,
    SectionText,
    pledge_correction_start,
    pledge_create,
    pledge_draft_save,
    pledge_finalise,
    pledge_pdf_issue,
    pledge_scan_upload,
    pledge_sign,
    pledge_signatures_record,
    pledge_signing_open,
)

from ..conftest import YEAR
from ..factories import MembershipFactory, UnitFactory
from ..fixtures.pledges import SECTIONS, SIGNING_DAY, head_signs, make_draft

pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.7\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64


def save(version: PledgeVersion, *, revision=None, title=None, sections=SECTIONS, by=None) -> PledgeVersion:
    return pledge_draft_save(
        version=version,
        revision=version.revision if revision is None else revision,
        title=title or version.title,
        preamble=version.preamble,
        signing_date=version.signing_date,
        signing_place=version.signing_place,
        sections=sections,
        by=by,
    )


# Creating --------------------------------------------------------------------------------------------


def test_a_new_pledge_starts_as_version_1_drafting_with_the_default_title(bloc, users):
    pledge = pledge_create(bloc=bloc, year=YEAR, by=users["chair"])
    version = pledge.versions.get()
    assert (version.number, version.state, version.revision) == (1, "drafting", 1)
    assert version.title == "Giao ước thi đua năm 2021"
    assert pledge.history.count() == 1 and pledge.history.first().history_user == users["chair"]


def test_one_pledge_per_bloc_and_year_in_the_service(bloc, users):
    pledge_create(bloc=bloc, year=YEAR, by=users["chair"])
    with pytest.raises(ValidationError) as error:
        pledge_create(bloc=bloc, year=YEAR, by=users["officer"])
    assert "year" in error.value.error_dict
    assert Pledge.objects.count() == 1


def test_one_pledge_per_bloc_and_year_in_the_database(bloc):
    Pledge.objects.create(bloc=bloc, year=YEAR)
    with pytest.raises(IntegrityError), transaction.atomic():
        Pledge.objects.create(bloc=bloc, year=YEAR)


def test_starting_from_last_years_pledge_copies_its_final_text(final, bloc, users):
    pledge = pledge_create(bloc=bloc, year=YEAR + 1, by=users["chair"], copy_from=final.pledge)
    version = pledge.versions.get()
    assert version.title == "Giao ước thi đua năm 2022"
    assert version.preamble == final.preamble
    assert version.signing_date is None  # a new ceremony
    assert [(s.heading, s.body) for s in version.sections.all()] == [(s.heading, s.body) for s in final.sections.all()]
    assert pledge.copied_from == final.pledge
    # The copy is a copy: last year's text does not move.
    save(version, sections=[SectionText("Mới", "")])
    assert final.sections.count() == 3


def test_a_pledge_is_copied_only_from_the_same_bloc(final, council, users):
    from ..factories import BlocFactory

    other = BlocFactory(council=council)
    with pytest.raises(ValidationError):
        pledge_create(bloc=other, year=YEAR + 1, by=users["officer"], copy_from=final.pledge)


# Drafting and concurrency ----------------------------------------------------------------------------


def test_saving_a_draft_raises_its_revision_and_keeps_sections_in_order(drafting, users):
    before = drafting.revision
    version = save(drafting, sections=[SECTIONS[2], SECTIONS[0]], by=users["chair"])
    assert version.revision == before + 1
    assert [s.heading for s in version.sections.all()] == ["Tổ chức thực hiện", "Mục tiêu"]
    assert [s.position for s in version.sections.all()] == [1, 2]
    assert version.updated_by == users["chair"]


def test_a_stale_save_is_refused_and_overwrites_nothing(drafting, users):
    opened_at = drafting.revision
    save(drafting, revision=opened_at, title="Giao ước của người thứ nhất", by=users["chair"])
    with pytest.raises(DraftConflict) as conflict:
        save(drafting, revision=opened_at, title="Giao ước của người thứ hai", sections=[], by=users["vice_chair"])
    drafting.refresh_from_db()
    assert drafting.title == "Giao ước của người thứ nhất"
    assert drafting.sections.count() == 3
    assert conflict.value.current.title == "Giao ước của người thứ nhất"
    assert conflict.value.current.updated_by == users["chair"]


def test_text_is_stored_nfc_with_line_breaks_kept(drafting):
    decomposed = "Giao u\u031bo\u031b\u0301c  thi đua"
    version = save(drafting, title=decomposed, sections=[SectionText("Mu\u0323c tiêu", "Dòng 1  \r\nDòng 2")])
    assert version.title == "Giao ước thi đua"
    section = version.sections.get()
    assert section.heading == "Mục tiêu" and section.body == "Dòng 1\nDòng 2"


def test_a_section_needs_a_heading_and_empty_sections_are_dropped(drafting):
    with pytest.raises(ValidationError) as error:
        save(drafting, sections=[SectionText("", "Cam kết không có tiêu đề")])
    assert "sections" in error.value.error_dict
    version = save(drafting, sections=[SectionText("Mục tiêu", ""), SectionText("", "")])
    assert version.sections.count() == 1


def test_only_a_draft_can_be_edited(signing):
    with pytest.raises(ValidationError):
        save(signing)


# Signing ---------------------------------------------------------------------------------------------


def test_opening_signing_freezes_the_members_in_protocol_order_with_their_heads(signing, users):
    rows = list(signing.signatories.order_by("position").values_list("unit__code", "signatory_name", "signatory_title"))
    assert rows == [
        ("MTTQ", "Trần Thị Bích Vân", "Chủ tịch"),
        ("LDLD", "Lê Minh Tâm", "Chủ tịch"),
        ("LHPN", "Nguyễn Thị Kim Loan", "Chủ tịch"),
        ("HND", "Võ Văn Thành", "Chủ tịch"),
        ("CCB", "Huỳnh Văn Sáu", "Chủ tịch"),
    ]
    assert signing.state == "signing" and signing.signing_opened_by == users["chair"]
    assert PledgeSignatory.history.count() == 5  # the freeze is in the history too


def test_signing_cannot_open_without_members(council, users):
    from ..factories import BlocFactory

    empty = BlocFactory(council=council)
    version = make_draft(empty, by=users["officer"])
    with pytest.raises(ValidationError):
        pledge_signing_open(version=version, by=users["officer"])
    version.refresh_from_db()
    assert version.is_drafting and not version.signatories.exists()


def test_signing_cannot_open_without_commitments(bloc, units, users):
    version = make_draft(bloc, by=users["officer"], sections=[])
    with pytest.raises(ValidationError):
        pledge_signing_open(version=version, by=users["officer"])


def test_a_member_unit_confirms_or_corrects_its_signatory_and_signs(signing, units, users):
    signatory = head_signs(
        signing,
        unit=units["member_unit"],
        by=users["member"],
        signatory_name="Phạm Thị Hoa",
        signatory_title="Phó Chủ tịch",
    )
    assert (signatory.signatory_name, signatory.signatory_title, signatory.signed_on) == (
        "Phạm Thị Hoa",
        "Phó Chủ tịch",
        SIGNING_DAY,
    )
    assert signatory.confirmed and signatory.method == "portal" and signatory.recorded_by == users["member"]
    assert signing.signatories.filter(signed_on__isnull=False).count() == 1


def test_only_the_frozen_signatories_sign(signing, bloc, units, users):
    # A unit that joins after signing opened is not on the list, nor is a unit outside the bloc.
    newcomer = UnitFactory(council=bloc.council, name="Hội Chữ thập đỏ tỉnh")
    MembershipFactory(bloc=bloc, unit=newcomer, first_year=YEAR)
    for unit in (newcomer, units["outside_unit"]):
        with pytest.raises(ValidationError) as error:
            pledge_sign(version=signing, unit=unit, by=users["officer"], signatory_name="A", signatory_title="")
        assert error.value.code == "not_signatory"
        with pytest.raises(ValidationError):
            pledge_signatures_record(version=signing, signed_on=SIGNING_DAY, units=[unit], by=users["chair"])
    assert not signing.signatories.filter(signed_on__isnull=False).exists()
    assert not signing.signatories.filter(unit=newcomer).exists()


def test_a_unit_signs_a_version_once(signing, units, users):
    head_signs(signing, unit=units["member_unit"], by=users["member"])
    with pytest.raises(ValidationError) as error:
        head_signs(
            signing,
            unit=units["member_unit"],
            by=users["member"],
            signatory_name="Người khác",
            signed_on=date(2021, 1, 5),
        )
    assert error.value.code == "already_signed"
    # A paper record for everyone keeps the earlier signature as given.
    pledge_signatures_record(version=signing, signed_on=date(2021, 1, 10), by=users["chair"])
    row = signing.signatories.get(unit=units["member_unit"])
    assert (row.signatory_name, row.signed_on, row.method) == ("Nguyễn Thị Kim Loan", SIGNING_DAY, "portal")


def test_a_signing_date_in_the_future_is_refused(signing, units, users):
    with pytest.raises(ValidationError):
        head_signs(
            signing, unit=units["member_unit"], by=users["member"], signed_on=timezone.localdate() + timedelta(days=1)
        )


def test_signing_needs_a_name(signing, units, users):
    with pytest.raises(ValidationError) as error:
        head_signs(signing, unit=units["member_unit"], by=users["member"], signatory_name="  ")
    assert "signatory_name" in error.value.error_dict


def test_a_draft_is_not_signed(drafting, units, users):
    with pytest.raises(ValidationError):
        pledge_sign(
            version=drafting, unit=units["member_unit"], by=users["member"], signatory_name="A", signatory_title=""
        )


def test_paper_ceremony_signs_every_member_at_once_and_makes_the_pledge_final(signing, users):
    recorded = pledge_signatures_record(version=signing, signed_on=SIGNING_DAY, by=users["officer"])
    assert len(recorded) == 5
    signing.refresh_from_db()
    assert signing.is_final and not signing.closed_early
    assert signing.finalised_by == users["officer"]
    assert set(signing.signatories.values_list("signed_on", "method")) == {(SIGNING_DAY, "paper")}


def test_paper_record_with_own_dates_and_corrected_names(signing, units, users):
    chair_unit, farmers = units["chair_unit"], units["farmers"]
    pledge_signatures_record(
        version=signing,
        signed_on=SIGNING_DAY,
        units=[chair_unit, farmers.pk],
        dates={farmers.pk: date(2020, 12, 30)},
        names={farmers.pk: ("Đinh Văn Lâm", "Phó Chủ tịch")},
        by=users["chair"],
    )
    rows = {s.unit_id: s for s in signing.signatories.all()}
    assert rows[chair_unit.pk].signed_on == SIGNING_DAY
    assert (rows[farmers.pk].signed_on, rows[farmers.pk].signatory_name, rows[farmers.pk].signatory_title) == (
        date(2020, 12, 30),
        "Đinh Văn Lâm",
        "Phó Chủ tịch",
    )
    assert sum(1 for s in rows.values() if s.is_signed) == 2
    signing.refresh_from_db()
    assert signing.is_signing


def test_the_last_signature_makes_the_version_final(signing, units, users):
    others = [u for key, u in units.items() if key not in ("member_unit", "outside_unit")]
    pledge_signatures_record(version=signing, signed_on=SIGNING_DAY, units=others, by=users["chair"])
    signing.refresh_from_db()
    assert signing.is_signing
    head_signs(signing, unit=units["member_unit"], by=users["member"])
    signing.refresh_from_db()
    assert signing.is_final and signing.finalised_by == users["member"]


def test_closing_signing_early_needs_the_flag_and_one_signature(signing, units, users):
    with pytest.raises(ValidationError):
        pledge_finalise(version=signing, by=users["chair"], close_early=True)  # nobody signed
    pledge_signatures_record(version=signing, signed_on=SIGNING_DAY, units=[units["chair_unit"]], by=users["chair"])
    with pytest.raises(ValidationError) as error:
        pledge_finalise(version=signing, by=users["chair"])
    assert error.value.code == "not_all_signed"
    version = pledge_finalise(version=signing, by=users["chair"], close_early=True)
    assert version.is_final and version.closed_early
    with pytest.raises(ValidationError):
        pledge_sign(
            version=signing, unit=units["member_unit"], by=users["member"], signatory_name="A", signatory_title=""
        )


# Database invariants ---------------------------------------------------------------------------------


def test_one_signatory_per_unit_per_version(signing, units):
    with pytest.raises(IntegrityError), transaction.atomic():
        PledgeSignatory.objects.create(version=signing, unit=units["chair_unit"], position=99, unit_name="x")


def test_a_signature_is_complete_or_absent(signing):
    row = signing.signatories.first()
    row.signed_on = SIGNING_DAY  # no time, no method
    with pytest.raises(IntegrityError), transaction.atomic():
        row.save()


def test_version_numbers_are_unique_and_only_one_version_is_open(drafting):
    common = {"pledge": drafting.pledge, "title": "x", "reason": "sửa"}
    with pytest.raises(IntegrityError), transaction.atomic():
        PledgeVersion.objects.create(
            number=1, state="final", finalised_at=timezone.now(), signing_opened_at=timezone.now(), **common
        )
    with pytest.raises(IntegrityError), transaction.atomic():
        PledgeVersion.objects.create(number=2, **common)  # a second open version


def test_a_correction_has_a_reason_in_the_database(final):
    with pytest.raises(IntegrityError), transaction.atomic():
        PledgeVersion.objects.create(pledge=final.pledge, number=2, title="x", reason="")


def test_section_positions_are_unique_per_version(drafting):
    with pytest.raises(IntegrityError), transaction.atomic():
        PledgeSection.objects.create(version=drafting, position=1, heading="Trùng")


# Final and corrections -------------------------------------------------------------------------------


def test_a_final_version_is_numbered_and_rendered_after_the_commit(signing, users, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        pledge_signatures_record(version=signing, signed_on=SIGNING_DAY, by=users["chair"])
        assert not IssuedDocument.objects.exists()  # nothing rendered inside the transaction
    assert len(callbacks) == 1
    signing.refresh_from_db()
    document = signing.document
    assert document.number_text == "01/GU-KTĐ6"
    assert document.year == 2020  # the register of the calendar year the pledge was signed in
    assert document.subject_key == signing.subject_key
    assert signing.pdf_error == ""


def test_a_render_failure_keeps_the_finalisation_and_can_be_retried(
    signing, users, monkeypatch, django_capture_on_commit_callbacks
):
    def broken(*args, **kwargs):
        raise OSError("no fonts")

    monkeypatch.setattr("pledges.printing.content_pdf", broken)
    with django_capture_on_commit_callbacks(execute=True):
        pledge_signatures_record(version=signing, signed_on=SIGNING_DAY, by=users["chair"])
    signing.refresh_from_db()
    assert signing.is_final and signing.document is None
    assert "no fonts" in signing.pdf_error
    assert not DocumentCounter.objects.filter(last_number__gt=0).exists()  # no number taken

    monkeypatch.undo()
    document = pledge_pdf_issue(version=signing, by=users["chair"])
    signing.refresh_from_db()
    assert signing.document == document and signing.pdf_error == ""
    assert document.number_text == "01/GU-KTĐ6"
    # Asking again gives the same document, never a second number.
    assert pledge_pdf_issue(version=signing, by=users["chair"]) == document
    assert IssuedDocument.objects.count() == 1


def test_a_pdf_being_made_elsewhere_is_not_made_twice(final, users):
    PledgeVersion.objects.filter(pk=final.pk).update(pdf_claimed_at=timezone.now())
    with pytest.raises(PledgePdfUnavailable):
        pledge_pdf_issue(version=final, by=users["chair"])
    assert not IssuedDocument.objects.exists()


def test_a_correction_is_a_new_version_and_the_old_one_stays(final, users):
    scan = pledge_scan_upload(version=final, file=SimpleUploadedFile("ban-ky.pdf", PDF), by=users["chair"])
    version = pledge_correction_start(pledge=final.pledge, reason="Sửa chỉ tiêu phát triển hội viên", by=users["chair"])
    assert (version.number, version.state, version.reason) == (2, "drafting", "Sửa chỉ tiêu phát triển hội viên")
    assert [s.heading for s in version.sections.all()] == [s.heading for s in final.sections.all()]
    assert not version.signatories.exists()  # signed anew
    final.refresh_from_db()
    assert final.is_final and final.signatories.filter(signed_on__isnull=False).count() == 5
    assert list(final.scans.all()) == [scan]
    save(version, sections=[SectionText("Mục tiêu mới", "")])
    assert final.sections.count() == 3


def test_a_correction_needs_a_reason_and_a_final_pledge(final, bloc, users):
    with pytest.raises(ValidationError):
        pledge_correction_start(pledge=final.pledge, reason="  ", by=users["chair"])
    next_year = make_draft(bloc, year=YEAR + 1, by=users["chair"])
    with pytest.raises(ValidationError):
        pledge_correction_start(pledge=next_year.pledge, reason="Sửa", by=users["chair"])
    assert next_year.pledge.versions.count() == 1


# Scans -----------------------------------------------------------------------------------------------


def test_a_scan_is_recognised_by_content_and_keeps_its_checksum(signing, users):
    import hashlib

    scan = pledge_scan_upload(version=signing, file=SimpleUploadedFile("anh-chup.docx", PNG), by=users["chair"])
    assert scan.kind == "png" and scan.size == len(PNG)
    assert scan.sha256 == hashlib.sha256(PNG).hexdigest()
    assert scan.file.name.endswith(".png") and scan.original_name == "anh-chup.docx"
    assert scan.uploaded_by == users["chair"]


@pytest.mark.parametrize(
    ("content", "setting", "code_word"),
    [(b"PK\x03\x04 zip", None, "PDF"), (PDF + b"x" * 200, 100, "MB"), (b"", None, "")],
    ids=["wrong-kind", "too-large", "empty"],
)
def test_a_bad_upload_leaves_the_previous_scan_in_place(signing, users, settings, content, setting, code_word):
    first = pledge_scan_upload(version=signing, file=SimpleUploadedFile("ban-ky.pdf", PDF), by=users["chair"])
    if setting:
        settings.UPLOAD_MAX_BYTES = setting
    with pytest.raises(ValidationError) as error:
        pledge_scan_upload(version=signing, file=SimpleUploadedFile("ban-ky-2.pdf", content), by=users["chair"])
    assert "file" in error.value.error_dict
    assert code_word in " ".join(error.value.messages)
    assert list(PledgeScan.objects.all()) == [first]
    assert first.file.storage.exists(first.file.name)


def test_a_new_scan_becomes_current_and_the_old_one_stays_listed(signing, users):
    first = pledge_scan_upload(version=signing, file=SimpleUploadedFile("a.pdf", PDF), by=users["chair"])
    second = pledge_scan_upload(version=signing, file=SimpleUploadedFile("b.png", PNG), by=users["officer"])
    assert list(signing.scans.all()) == [second, first]
    assert first.file.storage.exists(first.file.name) and first.file.name != second.file.name


def test_a_draft_has_no_scan(drafting, users):
    with pytest.raises(ValidationError):
        pledge_scan_upload(version=drafting, file=SimpleUploadedFile("a.pdf", PDF), by=users["chair"])


# The outgoing chair prepares the next year --------------------------------------------------------


def test_the_outgoing_chair_prepares_next_year_until_its_signing_opens(bloc, units, users):
    from blocs.access import can_prepare_year, can_read_bloc_year

    chair = users["chair"]
    assert can_prepare_year(chair, bloc, YEAR + 1)
    seats_set(bloc=bloc, year=YEAR + 1, chair=units["vice_unit"], vice_chairs=[units["farmers"]], by=None)
    chair = type(chair).objects.get(pk=chair.pk)  # fresh caches
    assert can_prepare_year(chair, bloc, YEAR + 1)  # alongside the elected seat holders
    pledge_signing_open(version=make_draft(bloc, year=YEAR + 1, by=chair), by=chair)
    assert not can_prepare_year(chair, bloc, YEAR + 1)
    assert can_read_bloc_year(chair, bloc, YEAR + 1)  # still a member that year
