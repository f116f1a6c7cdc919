"""The record states only what happened (docs/domain.md): no dead end between the year-end
election and next year's pledge, a pledge signed on a paper text the portal does not hold, and seat words
that follow the bloc's kind and the seat order."""

from __future__ import annotations

import pytest
from django.urls import reverse

from blocs.services import seats_set
from pledges.models import Pledge

from ..conftest import YEAR
from ..fixtures.pledges import make_draft
from ..roles import CONFIRMED, FORBIDDEN, MANAGERS, OK, READERS, REDIRECT, ROLES, check_get, check_post, expect

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("english")]

NEXT = YEAR + 1


@pytest.fixture
def next_seats(bloc, units, seats):
    """The year-end conference of YEAR elected NEXT's seats: neither of YEAR's seat holders keeps one."""
    return seats_set(bloc=bloc, year=NEXT, chair=units["farmers"], vice_chairs=[units["veterans"]], by=None)


def _fresh(user):
    return type(user).objects.get(pk=user.pk)  # the access predicates cache seats on the user


# The outgoing seat holders draft the next year's pledge until its signing opens ---------------------


def test_the_outgoing_chair_creates_next_years_pledge_after_its_seats_are_elected(client_as, bloc, next_seats):
    client = client_as("chair")
    page = client.get(reverse("pledges:pledge_detail", args=[bloc.pk, NEXT])).content.decode()
    assert 'name="start_blank"' in page
    assert client.post(reverse("pledges:pledge_create", args=[bloc.pk, NEXT])).status_code == REDIRECT
    pledge = Pledge.objects.get(bloc=bloc, year=NEXT)
    assert client.get(reverse("pledges:pledge_edit", args=[pledge.pk])).status_code == OK


def test_the_outgoing_chair_stops_when_signing_of_next_years_pledge_opens(client_as, bloc, users, next_seats):
    from pledges.services import pledge_signing_open

    version = make_draft(bloc, year=NEXT, by=users["chair"])
    pledge_signing_open(version=version, by=users["chair"])
    client = client_as("chair")
    assert client.get(reverse("pledges:pledge_signatures_record", args=[version.pledge.pk])).status_code == FORBIDDEN
    page = client.get(version.pledge.get_absolute_url()).content.decode()
    assert "Record paper signatures" not in page and "Ghi nhận chữ ký" not in page


def test_a_member_is_told_who_drafts_next_years_pledge(client_as, bloc, next_seats):
    page = client_as("member").get(reverse("pledges:pledge_detail", args=[bloc.pk, NEXT])).content.decode()
    assert 'name="start_blank"' not in page
    assert 'id="prepare-refusal"' in page
    refusal = page.split('id="prepare-refusal">')[1].split("<")[0]
    assert "Khối trưởng" in refusal and "Khối phó" in refusal and str(YEAR) in refusal and str(NEXT) in refusal


def test_a_member_reading_a_draft_is_told_who_may_edit_it(client_as, bloc, users, next_seats):
    version = make_draft(bloc, year=NEXT, by=users["officer"])
    page = client_as("member").get(version.pledge.get_absolute_url()).content.decode()
    assert 'id="prepare-refusal"' in page and "Khối trưởng" in page


def test_can_prepare_year_follows_the_pledge_not_the_seats(bloc, users, next_seats):
    from blocs.access import can_prepare_year
    from pledges.services import pledge_signing_open

    chair, incoming = users["chair"], users["officer"]
    assert can_prepare_year(_fresh(chair), bloc, NEXT)  # seats of NEXT exist, no pledge yet
    version = make_draft(bloc, year=NEXT, by=incoming)
    assert can_prepare_year(_fresh(chair), bloc, NEXT)  # drafting
    pledge_signing_open(version=version, by=incoming)
    assert not can_prepare_year(_fresh(chair), bloc, NEXT)
    assert not can_prepare_year(_fresh(chair), bloc, NEXT + 1)  # never two years on


# The role matrix of NEXT's pledge once NEXT's seats exist: YEAR's chair and vice-chair (the users
# "chair" and "vice_chair") draft it; once signing opens, only officers (NEXT's holders have no user here).
OUTGOING_ONLY_UNTIL_SIGNING = expect(member=FORBIDDEN, vice_chair=FORBIDDEN, chair=FORBIDDEN)


@pytest.fixture
def next_draft(bloc, users, heads, next_seats):
    return make_draft(bloc, year=NEXT, by=users["officer"])


@pytest.mark.parametrize("role", ROLES)
def test_next_years_draft_role_matrix(client_as, next_draft, role):
    pledge = next_draft.pledge
    client = client_as(role)
    check_get(client, pledge.get_absolute_url(), READERS, role, name="detail")
    check_get(client, reverse("pledges:pledge_edit", args=[pledge.pk]), MANAGERS, role, name="edit")
    check_get(client, reverse("pledges:pledge_signing_open", args=[pledge.pk]), MANAGERS, role, name="open signing")

    def state():
        next_draft.refresh_from_db()
        return next_draft.state

    check_post(
        client,
        reverse("pledges:pledge_signing_open", args=[pledge.pk]),
        {"confirm": "on", **CONFIRMED},
        expect(member=FORBIDDEN, vice_chair=REDIRECT, chair=REDIRECT, officer=REDIRECT),
        role,
        state=state,
        name="open signing",
    )


@pytest.mark.parametrize("role", ROLES)
def test_next_years_pledge_in_signing_role_matrix(client_as, next_draft, users, role):
    from pledges.services import pledge_signing_open

    signing = pledge_signing_open(version=next_draft, by=users["officer"])
    pledge = signing.pledge
    client = client_as(role)
    check_get(client, pledge.get_absolute_url(), READERS, role, name="detail")
    check_get(client, reverse("pledges:pledge_signatures_record", args=[pledge.pk]), OUTGOING_ONLY_UNTIL_SIGNING, role)
    check_get(client, reverse("pledges:pledge_finalise", args=[pledge.pk]), OUTGOING_ONLY_UNTIL_SIGNING, role)
    check_get(client, reverse("pledges:pledge_scan_upload", args=[pledge.pk, 1]), OUTGOING_ONLY_UNTIL_SIGNING, role)


# A pledge signed on a paper text the portal does not hold -------------------------------------------


def _blank_draft(bloc, users):
    return make_draft(bloc, by=users["officer"], sections=[])


def test_signing_opens_with_the_text_attached_instead_of_an_invented_section(client_as, bloc, users, heads):
    version = _blank_draft(bloc, users)
    url = reverse("pledges:pledge_signing_open", args=[version.pledge.pk])
    client = client_as("chair")
    refused = client.post(url, CONFIRMED)
    assert refused.status_code == OK
    assert "kèm theo" in refused.content.decode()  # the error names the way out
    version.refresh_from_db()
    assert version.is_drafting and not version.text_attached
    assert client.post(url, {"text_attached": "on", **CONFIRMED}).status_code == REDIRECT
    version.refresh_from_db()
    assert version.is_signing and version.text_attached and not version.sections.exists()
    page = client.get(version.pledge.get_absolute_url()).content.decode()
    assert 'id="text-attached"' in page


def test_the_draft_editor_keeps_the_text_attached_choice(client_as, bloc, users, heads):
    version = _blank_draft(bloc, users)
    data = {
        "revision": version.revision,
        "title": version.title,
        "signing_date": "",
        "signing_place": "",
        "preamble": "",
        "text_attached": "on",
        "sections-TOTAL_FORMS": "0",
        "sections-INITIAL_FORMS": "0",
        "sections-MIN_NUM_FORMS": "0",
        "sections-MAX_NUM_FORMS": "1000",
    }
    response = client_as("chair").post(reverse("pledges:pledge_edit", args=[version.pledge.pk]), data)
    assert response.status_code == REDIRECT, getattr(response, "context", None) and response.context.get("form").errors
    version.refresh_from_db()
    assert version.text_attached
    page = client_as("chair").get(reverse("pledges:pledge_edit", args=[version.pledge.pk])).content.decode()
    assert 'name="text_attached"' in page and "checked" in page.split('name="text_attached"')[1].split(">")[0]


def test_the_pdf_of_an_attached_text_says_so_and_keeps_the_signature_blocks(bloc, units, users, heads):
    from pledges.printing import pledge_pdf_render
    from pledges.services import pledge_signing_open

    from ..pledges.test_pdf import pdf_text, upper

    version = pledge_signing_open(version=_blank_draft(bloc, users), by=users["chair"], text_attached=True)
    text = pdf_text(pledge_pdf_render(version=version))
    assert "Nội dung giao ước kèm theo" in text
    assert "ĐẠI DIỆN CÁC ĐƠN VỊ THÀNH VIÊN KÝ GIAO ƯỚC" in text
    for unit in ("chair_unit", "vice_unit", "member_unit", "farmers", "veterans"):
        assert upper(units[unit].name) in text
    with_sections = pdf_text(pledge_pdf_render(version=make_draft(bloc, year=NEXT, by=users["officer"])))
    assert "kèm theo" not in with_sections


# Seat words follow the bloc's kind and the seat order -----------------------------------------------

SEAT_WORDS_OF_A_BLOC = ("Khối trưởng", "Khối phó", "khối phó")


@pytest.fixture
def cluster(bloc, seats, units):
    """The test bloc as a cluster with two vice-chairs in YEAR: LĐLĐ first, HND second."""
    from blocs.models import Bloc, Seat

    bloc.kind = Bloc.Kind.CLUSTER
    bloc.name = "Cụm thi đua các tổ chức chính trị - xã hội"
    bloc.save()
    Seat.objects.create(bloc=bloc, year=YEAR, unit=units["farmers"], rank=2)
    return bloc


def _no_bloc_words(text: str, where: str) -> None:
    for word in SEAT_WORDS_OF_A_BLOC:
        assert word not in text, f"{where} says {word!r} for a cluster"


def _in_order(text: str, *parts: str) -> None:
    positions = [text.index(part) for part in parts]
    assert positions == sorted(positions), parts


def test_a_clusters_pages_say_cum_truong_and_the_ordered_vice_chairs(client_as, cluster, users):
    client = client_as("officer")
    page = client.get(reverse("blocs:bloc_detail", args=[cluster.pk]) + f"?year={YEAR}").content.decode()
    _in_order(page, "Cụm trưởng", "Cụm phó thứ nhất", "Cụm phó thứ hai")
    _no_bloc_words(page, "the bloc page")
    assert "Cụm trưởng, Cụm phó qua các năm" in page
    home = client.get(reverse("blocs:home") + f"?year={YEAR}").content.decode()
    assert "Cụm trưởng" in home
    _in_order(home, "Cụm phó thứ nhất", "LĐLĐ", "Cụm phó thứ hai", "Hội Nông dân")
    _no_bloc_words(home, "the home page")
    seats_page = client.get(reverse("blocs:seats_edit", args=[cluster.pk, NEXT])).content.decode()
    _in_order(seats_page, "Cụm trưởng", "Cụm phó thứ nhất", "Cụm phó thứ hai")
    _no_bloc_words(seats_page, "the seats page")


def test_a_clusters_results_page_labels_and_errors_use_its_words(client_as, cluster, meeting):
    client = client_as("chair")
    url = reverse("meetings:meeting_results", args=[meeting.pk])
    page = client.get(url).content.decode()
    _in_order(page, "Cụm trưởng", "Cụm phó thứ nhất", "Cụm phó thứ hai")
    assert "Cụm trưởng bàn giao" in page and "Cụm trưởng nhận bàn giao" in page
    _no_bloc_words(page, "the results page")
    form = page_form_of(client, url)
    form["handover_recorded"] = "on"
    form["handover_outgoing"] = ""
    response = client.post(url, form)
    assert response.status_code == OK
    assert "Vui lòng chọn Cụm trưởng bàn giao." in response.content.decode()


def page_form_of(client, url: str) -> dict:
    """The results form as the page fills it (initial values of every field and formset)."""
    response = client.get(url)
    data = {}
    for name in ("main", "votes", "bloc_awards", "attendance", "form"):
        form = response.context.get(name)
        if form is None:
            continue
        forms = getattr(form, "forms", None)
        if forms is not None:
            data.update({f"{form.prefix}-{k}": v for k, v in form.management_form.initial.items()})
            for sub in forms:
                data.update({sub.add_prefix(k): v for k, v in sub.initial.items() if v is not None})
        else:
            for field_name, field in form.fields.items():
                value = form.initial.get(field_name, field.initial)
                if value in (None, False):
                    continue
                data[form.add_prefix(field_name)] = "on" if value is True else getattr(value, "pk", value)
    return data


def test_the_minutes_of_a_cluster_name_its_vice_chairs_in_order(cluster, meeting, record, units):
    from meetings import services
    from meetings.content import election_sentence, meeting_facts, minutes_content
    from meetings.printing import minutes_pdf_render

    from ..pledges.test_pdf import pdf_text

    record(election=services.ElectionEntry(chair=units["vice_unit"], vice_chairs=[units["farmers"], units["veterans"]]))
    facts = meeting_facts(meeting)
    sentence = election_sentence(facts)
    _in_order(
        sentence, "Cụm trưởng", "Hội Nông dân tỉnh làm Cụm phó thứ nhất", "Hội Cựu chiến binh tỉnh làm Cụm phó thứ hai"
    )
    _no_bloc_words(sentence, "the election sentence")
    text = pdf_text(minutes_pdf_render(content=minutes_content(facts), number_text="…/BB-KTĐ6", draft=True))
    _in_order(text, "Cụm phó thứ nhất", "Cụm phó thứ hai")


def test_the_pledge_pdf_of_a_cluster_says_cum(cluster, users, heads):
    from pledges.printing import pledge_pdf_render

    from ..pledges.test_pdf import pdf_text

    version = make_draft(cluster, by=users["officer"], sections=[])
    text = pdf_text(pledge_pdf_render(version=version))
    assert "CỤM THI ĐUA" in text.upper()
    assert "KHỐI" not in text.upper().replace("CÁC KHỐI", "")


def test_a_bloc_with_one_vice_chair_says_khoi_pho(client_as, bloc, users):
    page = client_as("officer").get(reverse("blocs:bloc_detail", args=[bloc.pk]) + f"?year={YEAR}").content.decode()
    assert "Khối trưởng" in page and "Khối phó" in page
    assert "Khối phó thứ nhất" not in page and "Cụm" not in page.replace("khối, cụm", "")
    home = client_as("officer").get(reverse("blocs:home") + f"?year={YEAR}").content.decode()
    assert "Khối trưởng" in home and "Khối phó" in home and "thứ nhất" not in home


def test_the_bloc_access_messages_name_the_clusters_seats(cluster, users):
    from django.utils import translation

    from blocs.access import prepare_year_refusal

    with translation.override("vi"):
        refusal = prepare_year_refusal(_fresh(users["member"]), cluster, NEXT)
    assert "Cụm trưởng" in refusal and "Cụm phó" in refusal
    _no_bloc_words(refusal, "the pledge refusal")


def test_no_slash_form_of_the_seat_words_anywhere():
    """Never "Khối trưởng/Cụm trưởng" — the words follow the bloc's kind."""
    import pathlib
    import re

    root = pathlib.Path(__file__).resolve().parents[2]
    slash = re.compile(r"(khối|cụm)\s*(trưởng|phó)?\s*/\s*(khối|cụm)", re.IGNORECASE)
    found = []
    for path in [root / "locale/vi/LC_MESSAGES/django.po", *sorted((root / "templates").rglob("*.html"))]:
        text = path.read_text(encoding="utf-8")
        if path.suffix == ".po":
            # msgstr lines only (continuations joined): what the user reads.
            text = "\n".join(
                "".join(re.findall(r'"((?:[^"\\]|\\.)*)"', entry.split("msgstr", 1)[1]))
                for entry in text.split("\n\n")
                if "msgstr" in entry
            )
        found += [f"{path.relative_to(root)}: {m.group(0)}" for m in slash.finditer(text)]
    assert not found
