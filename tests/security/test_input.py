"""What users type is stored in one form whatever they typed it with (the record's rules: text is stored NFC in one
place for every field, multi-line fields keep their line breaks, bad input gets a message next to the
field and never a 500), and the small input gaps: usernames and codes that differ only by letter case,
dates outside the portal's years, and formsets posted with an absurd number of rows."""

from __future__ import annotations

import unicodedata
from datetime import date

import pytest
from django.apps import apps
from django.core.exceptions import ValidationError
from django.db import IntegrityError, models, transaction
from django.urls import reverse
from simple_history.models import HistoricalChanges

from awards.catalogue import CHAIRMAN_CERTIFICATE
from awards.models import DecisionCorrection, Proposal
from blocs.fields import NFCCharField, NFCTextField
from blocs.models import Bloc, Unit, User
from meetings.models import Meeting
from pledges.models import PledgeVersion

from ..conftest import PASSWORD, YEAR
from ..roles import OK, REDIRECT

# A submission here meets only the awards app's own dossier checks (the awards fixtures are a plugin).
pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("awards_checks_only")]

APPS = {"blocs", "pledges", "awards", "meetings", "documents"}


def nfd(text: str) -> str:
    decomposed = unicodedata.normalize("NFD", text)
    assert decomposed != text, "the sample must have something to decompose"
    return decomposed


def is_nfc(text: str) -> bool:
    return unicodedata.is_normalized("NFC", text)


# ═══ Every text column normalises ══════════════════════════════════════════════════════════════════════

# Text columns that are not text a user types, so they are compared and looked up exactly as stored.
NOT_NORMALISED = {
    "blocs.User.password": "a password hash",
    "blocs.User.username": "a login key: ASCII only and unique whatever the letter case (tested below)",
    "blocs.User.email": "an address, normalised by Django's user manager",
    "awards.AwardType.code": "a slug, ASCII by its validator",
    "awards.Proposal.meeting_ref": "a key the meetings app writes, e.g. “meeting:12”",
    "awards.Proposal.achievement_report_sha256": "a checksum",
    "documents.DocumentCounter.issuer": "a key, e.g. “bloc:12”",
    "documents.DocumentCounter.doc_type": "a key, e.g. “BB”",
    "documents.IssuedDocument.issuer": "a key, e.g. “bloc:12”",
    "documents.IssuedDocument.doc_type": "a key, e.g. “BB”",
    "documents.IssuedDocument.sha256": "a checksum",
    "documents.IssuedDocument.subject_key": "a key, e.g. “pledge:3:v1”",
    "pledges.PledgeScan.sha256": "a checksum",
    "pledges.ScoreEvidence.sha256": "a checksum",
    "meetings.MinutesScan.sha256": "a checksum",
    "blocs.MembershipList.snapshot": "a checksum",
    "blocs.CalendarFeed.token": "a random secret of URL characters, looked up exactly",
    "blocs.Notification.url": "a path the portal made with reverse()",
    "blocs.Notification.key": "a key, e.g. “deadline:pledge_signing:12:2021:20210331:7”",
    "blocs.Notification.email_error": "the mail library's error message, for the log",
}
# Columns the model computes from normalised fields (search and sort keys, the folded code).
COMPUTED = {"search_text", "sort_name", "code_key"}


def tracked_models():
    return [
        model
        for model in apps.get_models()
        if model._meta.app_label in APPS and not issubclass(model, HistoricalChanges)
    ]


def test_every_text_column_of_every_model_normalises():
    """A new CharField or TextField must be NFCCharField / NFCTextField, or be listed above with why."""
    forgotten = []
    for model in tracked_models():
        for field in model._meta.concrete_fields:
            label = f"{model._meta.label}.{field.name}"
            if not isinstance(field, models.CharField | models.TextField):
                continue
            if field.choices or field.name in COMPUTED or label in NOT_NORMALISED:
                continue
            wanted = NFCTextField if isinstance(field, models.TextField) else NFCCharField
            if not isinstance(field, wanted):
                forgotten.append(f"{label} is a {type(field).__name__}, not a {wanted.__name__}")
    assert not forgotten, "\n".join(forgotten)


def test_the_exceptions_name_real_columns():
    labels = {f"{m._meta.label}.{f.name}" for m in tracked_models() for f in m._meta.concrete_fields}
    assert set(NOT_NORMALISED) <= labels


def test_history_rows_copy_the_normalising_columns():
    """django-simple-history copies each field; its rows are written from the saved (normalised) object."""
    for model in tracked_models():
        if not hasattr(model, "history"):
            continue
        historical = model.history.model
        for field in model._meta.concrete_fields:
            if isinstance(field, NFCCharField | NFCTextField):
                assert type(historical._meta.get_field(field.name)) is type(field), f"{model._meta.label}.{field.name}"


def test_normalisation_needs_no_migration():
    # The fields report the plain Django path: switching a column to them changes no schema.
    plain = {NFCCharField: "django.db.models.CharField", NFCTextField: "django.db.models.TextField"}
    checked = 0
    for model in tracked_models():
        for field in model._meta.concrete_fields:
            if type(field) in plain:
                assert field.deconstruct()[1] == plain[type(field)], f"{model._meta.label}.{field.name}"
                checked += 1
    assert checked >= 60


def test_save_stores_the_normal_form_and_the_object_holds_it(bloc):
    bloc.description = "  Khối   các " + nfd("tổ chức") + "\r\n\r\n\r\n chính trị  "
    bloc.save()
    assert bloc.description == "Khối các tổ chức\n\nchính trị"
    bloc.refresh_from_db()
    assert bloc.description == "Khối các tổ chức\n\nchính trị"


def test_update_and_bulk_update_store_the_normal_form(bloc, units):
    Bloc.objects.filter(pk=bloc.pk).update(issuing_lines=nfd("Ủy ban nhân dân tỉnh") + " \r\nKhối 6 ")
    bloc.refresh_from_db()
    assert bloc.issuing_lines == "Ủy ban nhân dân tỉnh\nKhối 6"
    unit = units["farmers"]
    unit.head_name = nfd("  Nguyễn   Văn Hùng ")
    Unit.objects.bulk_update([unit], ["head_name"])
    unit.refresh_from_db()
    assert unit.head_name == "Nguyễn Văn Hùng"


def test_full_clean_checks_the_normal_form(council, bloc):
    """So that the unique check of a model form compares what will be stored."""
    twin = Bloc(council=council, name=nfd(bloc.name), code="KTĐ7")
    with pytest.raises(ValidationError) as error:
        twin.full_clean()
    assert "__all__" in error.value.error_dict or "name" in error.value.error_dict
    assert twin.name == bloc.name


def test_warning_reasons_are_stored_nfc(proposal):
    from awards import services

    draft = services.proposal_reason_set(
        proposal=proposal("LHPN"), key="registration", reason=nfd("Đăng ký  bổ sung\r\nngày 05/01"), by=None
    )
    assert draft.warning_reasons["registration"] == "Đăng ký bổ sung\nngày 05/01"


# ═══ Through the real forms ════════════════════════════════════════════════════════════════════════════


def test_bloc_form_stores_nfc_and_keeps_the_lines_of_its_header(client_as, council):
    response = client_as("officer").post(
        reverse("blocs:bloc_create"),
        {
            "name": nfd("Khối thi đua các cơ quan Đảng"),
            "code": "KTĐ2",
            "kind": "bloc",
            "description": nfd("Các cơ quan tham mưu\r\ncủa Tỉnh ủy"),
            "issuing_lines": nfd("ỦY BAN NHÂN DÂN TỈNH  \r\nKHỐI THI ĐUA SỐ 2\r\n"),
            "active": "on",
        },
    )
    assert response.status_code == REDIRECT
    bloc = Bloc.objects.get(code="KTĐ2")
    assert bloc.name == "Khối thi đua các cơ quan Đảng"
    assert bloc.description == "Các cơ quan tham mưu\ncủa Tỉnh ủy"
    assert bloc.issuing_lines == "ỦY BAN NHÂN DÂN TỈNH\nKHỐI THI ĐUA SỐ 2"
    assert bloc.document_header().lines() == ["ỦY BAN NHÂN DÂN TỈNH", "KHỐI THI ĐUA SỐ 2"]


def test_a_bloc_named_like_another_in_nfd_gets_the_vietnamese_duplicate_message(client_as, bloc):
    response = client_as("officer").post(
        reverse("blocs:bloc_create"), {"name": nfd(bloc.name), "code": "KTĐ9", "kind": "bloc", "active": "on"}
    )
    assert response.status_code == OK
    assert response.context["form"].errors["name"] == ["Tên này đã được dùng cho một khối, cụm khác của hội đồng."]
    assert Bloc.objects.filter(council=bloc.council).count() == 1


def test_unit_form_stores_nfc(client_as, council):
    response = client_as("officer").post(
        reverse("blocs:unit_create"),
        {
            "code": "HĐY",
            "name": "Hội Đông y tỉnh",
            "kind": "association",
            "head_name": nfd("Trần  Thị Ngọc"),
            "head_title": nfd("Chủ tịch"),
            "contact": nfd("Số 1, đường Lê Lợi"),
            "active": "on",
        },
    )
    assert response.status_code == REDIRECT
    unit = Unit.objects.get(council=council, code="HĐY")
    assert (unit.head_name, unit.head_title, unit.contact) == ("Trần Thị Ngọc", "Chủ tịch", "Số 1, đường Lê Lợi")


def test_proposal_form_stores_nfc_and_keeps_the_lines_of_the_summary(client_as, bloc, units, seats, awards):
    response = client_as("chair").post(
        reverse("awards:proposal_create", args=[bloc.pk, YEAR]),
        {
            "award_type": awards[CHAIRMAN_CERTIFICATE].pk,
            "recipient": "collective",
            "unit": units["farmers"].pk,
            "collective_name": nfd("Ban  Tổ chức"),
            "summary": nfd("Hoàn thành xuất sắc nhiệm vụ\r\nDẫn đầu phong trào thi đua  "),
            "acclamation": "on",
            "members_present": "5",
        },
    )
    assert response.status_code == REDIRECT, response.context["form"].errors
    created = Proposal.objects.get(bloc=bloc, unit=units["farmers"])
    assert created.collective_name == "Ban Tổ chức"
    assert created.summary == "Hoàn thành xuất sắc nhiệm vụ\nDẫn đầu phong trào thi đua"


def _meeting_data(**changes):
    data = {
        "kind": "mid_year",
        "year": str(YEAR),
        "title": "",
        "date": "2021-07-15",
        "start_time": "08:00",
        "end_time": "",
        "place": nfd("Hội trường  tầng 2"),
        "host_unit": "",
        "presiding_name": nfd("Nguyễn Văn Hòa"),
        "presiding_title": "",
        "secretary_name": "",
        "secretary_title": "",
        "agenda": nfd("Báo cáo sơ kết 6 tháng\r\nPhương hướng 6 tháng cuối năm"),
        "guests-TOTAL_FORMS": "1",
        "guests-INITIAL_FORMS": "0",
        "guests-MIN_NUM_FORMS": "0",
        "guests-MAX_NUM_FORMS": "1000",
        "guests-0-name": "",
        "guests-0-position": nfd("Đại diện Lãnh đạo"),
        "guests-0-organisation": nfd("Ban Thi đua – Khen thưởng"),
    }
    data.update(changes)
    return data


def test_meeting_form_stores_nfc_and_keeps_the_lines_of_the_agenda(client_as, bloc, seats):
    response = client_as("chair").post(reverse("meetings:meeting_schedule", args=[bloc.pk]), _meeting_data())
    assert response.status_code == REDIRECT
    scheduled = Meeting.objects.get(bloc=bloc, kind="mid_year")
    assert (scheduled.place, scheduled.presiding_name) == ("Hội trường tầng 2", "Nguyễn Văn Hòa")
    assert scheduled.agenda == "Báo cáo sơ kết 6 tháng\nPhương hướng 6 tháng cuối năm"
    guest = scheduled.guests.get()
    assert (guest.position, guest.organisation) == ("Đại diện Lãnh đạo", "Ban Thi đua – Khen thưởng")


def _draft_data(version: PledgeVersion, **changes):
    data = {
        "revision": str(version.revision),
        "title": version.title,
        "signing_date": "",
        "signing_place": "",
        "preamble": "",
        "sections-TOTAL_FORMS": "1",
        "sections-INITIAL_FORMS": "0",
        "sections-MIN_NUM_FORMS": "0",
        "sections-MAX_NUM_FORMS": "1000",
        "sections-0-heading": "Mục tiêu",
        "sections-0-body": "",
        "sections-0-ORDER": "1",
    }
    data.update(changes)
    return data


def test_pledge_draft_form_stores_nfc_and_keeps_the_lines_of_the_preamble(client_as, drafting):
    data = _draft_data(
        drafting,
        title=nfd("Giao ước  thi đua năm 2021"),
        signing_place=nfd("Hội trường Ủy ban MTTQ tỉnh"),
        preamble=nfd("Căn cứ Luật Thi đua, Khen thưởng;\r\n\r\nCác đơn vị thống nhất giao ước:"),
        **{"sections-0-heading": nfd("Mục tiêu chung"), "sections-0-body": nfd("Chỉ tiêu 1\r\nChỉ tiêu 2")},
    )
    response = client_as("chair").post(reverse("pledges:pledge_edit", args=[drafting.pledge.pk]), data)
    assert response.status_code == REDIRECT
    drafting.refresh_from_db()
    assert (drafting.title, drafting.signing_place) == ("Giao ước thi đua năm 2021", "Hội trường Ủy ban MTTQ tỉnh")
    assert drafting.preamble == "Căn cứ Luật Thi đua, Khen thưởng;\n\nCác đơn vị thống nhất giao ước:"
    section = drafting.sections.get()
    assert (section.heading, section.body) == ("Mục tiêu chung", "Chỉ tiêu 1\nChỉ tiêu 2")


def test_decision_correction_form_stores_the_reason_nfc(client_as, proposal, walk):
    from awards import services

    decided = services.proposal_reason_set(
        proposal=proposal("LDLD", type_code=CHAIRMAN_CERTIFICATE), key="registration", reason="Bổ sung.", by=None
    )
    walk.submit(decided)
    walk.approve(decided)
    decision = walk.decide(decided)
    response = client_as("officer").post(
        reverse("awards:decision_correct", args=[decision.pk]),
        {
            "number": decision.number,
            "date": "02/03/2022",
            "signer": nfd("Nguyễn  Thanh Bình"),
            "reason": nfd("Sai ngày ký\r\ntheo bản gốc  "),
        },
    )
    assert response.status_code == REDIRECT
    correction = DecisionCorrection.objects.get(decision=decision)
    assert correction.reason == "Sai ngày ký\ntheo bản gốc"
    decision.refresh_from_db()
    assert decision.signer == "Nguyễn Thanh Bình"


def test_account_form_stores_the_position_nfc(client_as, users):
    member = users["member"]
    response = client_as("officer").post(
        reverse("blocs:user_edit", args=[member.pk]),
        {
            "last_name": nfd("Võ Thị"),
            "first_name": nfd("Ngọc"),
            "email": "",
            "unit": member.unit_id,
            "position": nfd("Chuyên viên  Văn phòng"),
            "is_active": "on",
        },
    )
    assert response.status_code == REDIRECT
    member.refresh_from_db()
    assert (member.last_name, member.first_name, member.position) == ("Võ Thị", "Ngọc", "Chuyên viên Văn phòng")


# ═══ Usernames: one account whatever the letter case ════════════════════════════════════════════════════


def _account_data(**changes):
    data = {
        "username": "nguoidungmoi",
        "last_name": "Lê Văn",
        "first_name": "Minh",
        "email": "",
        "unit": "",
        "position": "",
        "password1": "Mat-khau-du-dai-2024!",
        "password2": "Mat-khau-du-dai-2024!",
    }
    data.update(changes)
    return data


def test_the_account_form_refuses_a_username_differing_only_in_case(client_as, users):
    response = client_as("officer").post(reverse("blocs:user_create"), _account_data(username="MEMBER"))
    assert response.status_code == OK
    assert response.context["form"].errors["username"] == [
        "Tên đăng nhập này đã có người dùng (không phân biệt chữ hoa, chữ thường)."
    ]
    assert User.objects.filter(username__iexact="member").count() == 1


def test_the_account_form_refuses_a_username_with_diacritics(client_as, users):
    response = client_as("officer").post(reverse("blocs:user_create"), _account_data(username="khốitrưởng"))
    assert response.status_code == OK
    assert "username" in response.context["form"].errors
    assert not User.objects.filter(username="khốitrưởng").exists()


def test_the_database_refuses_a_username_differing_only_in_case(users):
    with pytest.raises(IntegrityError), transaction.atomic():
        User.objects.create(username="Officer", council=users["officer"].council)


def test_login_ignores_the_letter_case_of_the_username(client, users):
    response = client.post(reverse("blocs:login"), {"username": "OFFICER", "password": PASSWORD})
    assert response.status_code == REDIRECT
    assert client.session["_auth_user_id"] == str(users["officer"].pk)


def test_failed_logins_count_together_whatever_the_letter_case(client, users, settings):
    """The throttle (django-axes) must not give each spelling of a username its own count."""
    spellings = ["officer", "OFFICER", "Officer", "oFFICER"]
    for attempt in range(settings.AXES_FAILURE_LIMIT):
        client.post(
            reverse("blocs:login"), {"username": spellings[attempt % len(spellings)], "password": "sai-mat-khau"}
        )
    client.post(reverse("blocs:login"), {"username": "officer", "password": PASSWORD})
    assert "_auth_user_id" not in client.session


# ═══ Codes: one code whatever the letter case, on every database ═══════════════════════════════════════


@pytest.mark.parametrize("code", ["ktđ6", "Ktđ6", "  kTĐ6 "])
def test_a_bloc_code_differing_only_in_letter_case_is_refused_next_to_the_field(client_as, bloc, code):
    response = client_as("officer").post(
        reverse("blocs:bloc_create"), {"name": "Khối thi đua mới", "code": code, "kind": "bloc", "active": "on"}
    )
    assert response.status_code == OK
    assert response.context["form"].errors["code"] == ["Mã này đã được dùng cho một khối, cụm khác của hội đồng."]
    assert Bloc.objects.filter(council=bloc.council).count() == 1


def test_a_bloc_code_with_d_for_đ_is_another_code(client_as, bloc):
    # Đ is a letter of its own (KTD6 ≠ KTĐ6); only the letter case is folded.
    response = client_as("officer").post(
        reverse("blocs:bloc_create"), {"name": "Khối thi đua mới", "code": "KTD6", "kind": "bloc", "active": "on"}
    )
    assert response.status_code == REDIRECT


def test_the_database_refuses_a_bloc_code_differing_only_in_letter_case(bloc):
    with pytest.raises(IntegrityError), transaction.atomic():
        Bloc.objects.create(council=bloc.council, name="Khối thi đua khác", code="ktđ6")


@pytest.mark.parametrize("code", ["lhpn", "hđy", "HđY"])
def test_a_unit_code_differing_only_in_letter_case_is_refused_next_to_the_field(client_as, council, units, code):
    Unit.objects.create(council=council, code="HĐY", name="Hội Đông y tỉnh")
    response = client_as("officer").post(
        reverse("blocs:unit_create"), {"code": code, "name": "Đơn vị trùng mã", "kind": "agency", "active": "on"}
    )
    assert response.status_code == OK
    assert response.context["form"].errors["code"] == ["Mã này đã được dùng cho một đơn vị khác của hội đồng."]
    assert not Unit.objects.filter(name="Đơn vị trùng mã").exists()


def test_the_database_refuses_a_unit_code_differing_only_in_letter_case(council, units):
    Unit.objects.create(council=council, code="HĐY", name="Hội Đông y tỉnh")
    with pytest.raises(IntegrityError), transaction.atomic():
        Unit.objects.create(council=council, code="hđy", name="Đơn vị trùng mã")


def test_another_council_may_use_the_same_code(other_council, bloc):
    Bloc.objects.create(council=other_council, name="Khối thi đua số 6", code="ktđ6")


# ═══ Dates: within the portal's years ══════════════════════════════════════════════════════════════════

DATE_MESSAGE = "Nhập ngày trong khoảng từ 01/01/1945 đến 31/12/2100."


@pytest.mark.parametrize("typed", ["01/01/0001", "31/12/9999", "31/12/1944", "01/01/2101"])
def test_a_deadline_outside_the_portal_years_is_refused_next_to_the_field(client_as, council, typed):
    from blocs.models import Deadline

    data = {"year": "2021", "kind": "submission", "due_on": typed}
    response = client_as("officer").post(reverse("blocs:deadlines"), data)
    assert response.status_code == OK
    assert response.context["form"].errors["due_on"] == [DATE_MESSAGE]
    assert not Deadline.objects.exists()


def test_the_first_and_last_days_of_the_portal_years_are_accepted(client_as, council):
    for typed in ("01/01/1945", "31/12/2100"):
        data = {"year": "2021", "kind": "submission", "due_on": typed}
        response = client_as("officer").post(reverse("blocs:deadlines"), data)
        assert response.status_code == REDIRECT


def test_a_meeting_date_outside_the_portal_years_is_refused(client_as, bloc, seats):
    response = client_as("chair").post(
        reverse("meetings:meeting_schedule", args=[bloc.pk]), _meeting_data(date="9999-12-31")
    )
    assert response.status_code == OK
    assert response.context["form"].errors["date"] == [DATE_MESSAGE]
    assert not Meeting.objects.exists()


def test_full_clean_refuses_a_date_outside_the_portal_years(council):
    from awards.models import Decision

    with pytest.raises(ValidationError) as error:
        Decision(council=council, number="1/QĐ", date=date(1, 1, 1)).full_clean()
    assert list(error.value.message_dict) == ["date"]


def form_classes():
    """Every form class of the apps' forms modules (their declared fields)."""
    import importlib
    import inspect

    from django import forms

    for app in sorted(APPS - {"documents"}):
        module = importlib.import_module(f"{app}.forms")
        for _name, cls in inspect.getmembers(module, inspect.isclass):
            # A mixin without declared fields (blocs.forms.PortalFormMixin) is not a form of its own.
            if issubclass(cls, forms.BaseForm) and cls.__module__ == module.__name__ and hasattr(cls, "base_fields"):
                yield cls


def test_every_date_a_user_types_is_bounded():
    from django import forms

    from blocs.fields import BoundedDateField, BoundedDateFormField

    unbounded = [
        f"{model._meta.label}.{field.name}"
        for model in tracked_models()
        for field in model._meta.concrete_fields
        if type(field) is models.DateField and not (field.auto_now or field.auto_now_add)
    ]
    unbounded += [
        f"{cls.__module__}.{cls.__name__}.{name}"
        for cls in form_classes()
        for name, field in cls.base_fields.items()
        if isinstance(field, forms.DateField) and not isinstance(field, BoundedDateFormField)
    ]
    assert not unbounded, unbounded
    assert isinstance(Meeting._meta.get_field("date"), BoundedDateField)


def test_every_text_input_of_the_forms_normalises():
    """Plain forms' text reaches the services NFC, so their checks and lengths count the stored form."""
    from django import forms

    from blocs.fields import NFCLineFormField

    raw = [
        f"{cls.__module__}.{cls.__name__}.{name}"
        for cls in form_classes()
        for name, field in cls.base_fields.items()
        if isinstance(field, forms.CharField)
        and not isinstance(field, NFCLineFormField | forms.EmailField)
        and not isinstance(field.widget, forms.PasswordInput | forms.HiddenInput)
        and name != "username"  # a login key (ASCII, NFKC by Django), see the usernames below
    ]
    assert not raw, raw


# ═══ Formsets: a bounded number of rows ════════════════════════════════════════════════════════════════

TOO_MANY = "100000"


def formset_classes():
    import importlib
    import inspect

    from django import forms

    for app in sorted(APPS - {"documents"}):
        module = importlib.import_module(f"{app}.forms")
        for name, cls in inspect.getmembers(module, inspect.isclass):
            if issubclass(cls, forms.BaseFormSet) and hasattr(cls, "form"):  # made by formset_factory
                yield name, cls


def test_every_formset_has_a_hard_cap():
    seen = 0
    for name, cls in formset_classes():
        seen += 1
        assert cls.validate_max, name
        assert cls.absolute_max == cls.max_num <= 200, (name, cls.max_num, cls.absolute_max)
    assert seen >= 5


def test_a_meeting_posted_with_a_huge_guest_count_builds_few_rows_and_says_why(client_as, bloc, seats):
    response = client_as("chair").post(
        reverse("meetings:meeting_schedule", args=[bloc.pk]), _meeting_data(**{"guests-TOTAL_FORMS": TOO_MANY})
    )
    assert response.status_code == OK
    guests = response.context["guests"]
    assert len(guests.forms) == guests.max_num
    assert f"Chỉ gửi được tối đa {guests.max_num} dòng." in response.content.decode()
    assert not Meeting.objects.filter(kind="mid_year").exists()


def test_a_pledge_draft_posted_with_a_huge_section_count_builds_few_rows_and_says_why(client_as, drafting):
    data = _draft_data(drafting, **{"sections-TOTAL_FORMS": TOO_MANY})
    response = client_as("chair").post(reverse("pledges:pledge_edit", args=[drafting.pledge.pk]), data)
    assert response.status_code == OK
    formset = response.context["formset"]
    assert len(formset.forms) == formset.max_num
    assert f"Chỉ gửi được tối đa {formset.max_num} dòng." in response.content.decode()
    revision = drafting.revision
    drafting.refresh_from_db()
    assert drafting.revision == revision


def test_meeting_results_posted_with_a_huge_vote_count_build_few_rows_and_say_why(client_as, meeting):
    from ..fixtures.meetings import results_post_data

    client = client_as("chair")
    url = reverse("meetings:meeting_results", args=[meeting.pk])
    data = results_post_data(client.get(url))
    data["votes-TOTAL_FORMS"] = TOO_MANY
    response = client.post(url, data)
    assert response.status_code == OK
    votes = response.context["votes"]
    assert len(votes.forms) == votes.max_num
    assert f"Chỉ gửi được tối đa {votes.max_num} dòng." in response.content.decode()
    meeting.refresh_from_db()
    assert not meeting.is_held
