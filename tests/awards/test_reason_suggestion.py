"""The final ranking offered as an award's reason (awards.suggestions): the proposal form and an officer's
entry of an award decided outside the portal show the chosen unit's line ("Xếp hạng Nhất Khối thi đua …
năm 2021") with "Chèn xếp hạng"; the button puts it in the reason field and saves nothing; only a save with
it in the field records it, and then the award history prints it.

The standard ranking of 2021 (``tests/fixtures/ranking.py``): LĐLĐ 1, MTTQ 2, LHPN 3, HND 4, CCB not entered.
"""

import html
import json
import re
from datetime import date

import pytest
from django.urls import reverse

from awards.catalogue import CHAIRMAN_CERTIFICATE, PROVINCIAL_FLAG
from awards.models import Proposal
from awards.printing import list_content
from blocs.models import Bloc
from pledges.scoring.rankings import bloc_words, rank_word, ranking_reason

from ..conftest import YEAR
from ..factories import BlocFactory
from ..fixtures.awards import proposal_form_data
from ..roles import MANAGERS, OK, ROLES, check_post

pytestmark = pytest.mark.django_db

FIRST = "Xếp hạng Nhất Khối thi đua các tổ chức chính trị - xã hội năm 2021"
THIRD = "Xếp hạng Ba Khối thi đua các tổ chức chính trị - xã hội năm 2021"
INSERT = {"insert_ranking": "1"}


def field_text(page: str, name: str = "award_reason") -> str:
    """The text of a textarea as the page shows it."""
    match = re.search(rf'<textarea name="{name}"[^>]*>(.*?)</textarea>', page, re.S)
    assert match, name
    return html.unescape(match.group(1)).removeprefix("\n")


def create_url(bloc) -> str:
    return reverse("awards:proposal_create", args=[bloc.pk, YEAR])


# --- The words -------------------------------------------------------------------------------------------


def test_a_rank_is_said_in_words_and_the_bloc_by_its_kind():
    assert [rank_word(rank) for rank in (1, 2, 3, 4, 5, 10, 11)] == ["Nhất", "Nhì", "Ba", "Tư", "Năm", "Mười", "11"]
    assert bloc_words("Khối thi đua Nội chính", False) == "Khối thi đua Nội chính"
    assert bloc_words("Cụm thi đua các huyện, thành phố", True) == "Cụm thi đua các huyện, thành phố"
    assert bloc_words("Tây Nguyên", True) == "Cụm thi đua Tây Nguyên"
    assert bloc_words("các sở, ban, ngành", False) == "Khối thi đua các sở, ban, ngành"
    assert ranking_reason(bloc_name="Tây Nguyên", is_cluster=True, year=2020, rank=2) == (
        "Xếp hạng Nhì Cụm thi đua Tây Nguyên năm 2020"
    )
    assert ranking_reason(bloc_name="Khối thi đua 6", is_cluster=False, year=2020, rank=1, shared=True) == (
        "Đồng xếp hạng Nhất Khối thi đua 6 năm 2020"
    )


# --- The proposal form -----------------------------------------------------------------------------------


def test_the_form_offers_each_units_line_and_the_chosen_ones_beside_the_reason(client_as, bloc, units, ranked):
    page = client_as("chair").get(create_url(bloc)).content.decode()
    assert 'name="insert_ranking"' in page and "Chèn xếp hạng" in page
    lines = json.loads(html.unescape(re.search(r'id="ranking-offer"[^>]* data-lines="([^"]*)"', page).group(1)))
    assert lines[str(units["vice_unit"].pk)]["reason"] == FIRST
    assert lines[str(units["member_unit"].pk)]["reason"] == THIRD
    assert lines[str(units["veterans"].pk)] == {
        "reason": "",
        "note": "Hội Cựu chiến binh tỉnh chưa được xếp hạng: Chưa nhập thứ hạng.",
    }
    assert field_text(page) == ""  # offered beside the field, never in it


def test_inserting_puts_the_line_in_the_field_and_saves_nothing(client_as, bloc, units, awards, ranked):
    client = client_as("chair")
    data = proposal_form_data(awards[PROVINCIAL_FLAG], units["vice_unit"], summary="Dẫn đầu phong trào.")
    response = client.post(create_url(bloc), {**data, **INSERT})
    assert response.status_code == OK
    assert not Proposal.objects.exists()
    page = response.content.decode()
    assert field_text(page) == FIRST
    assert field_text(page, "summary") == "Dẫn đầu phong trào."  # what was typed is shown again as typed
    assert "Chưa có gì được lưu" in page
    # Saved only when the user saves the form with it in the field.
    response = client.post(create_url(bloc), {**data, "award_reason": FIRST})
    assert response.status_code == 302
    assert Proposal.objects.get().award_reason == FIRST


def test_inserting_keeps_what_is_typed_and_adds_the_line_once(client_as, bloc, units, awards, ranked):
    data = proposal_form_data(awards[PROVINCIAL_FLAG], units["member_unit"], award_reason="Đơn vị có nhiều sáng kiến.")
    page = client_as("chair").post(create_url(bloc), {**data, **INSERT}).content.decode()
    assert field_text(page) == f"Đơn vị có nhiều sáng kiến.\n{THIRD}"
    again = client_as("chair").post(create_url(bloc), {**data, "award_reason": field_text(page), **INSERT})
    assert field_text(again.content.decode()) == f"Đơn vị có nhiều sáng kiến.\n{THIRD}"


def test_editing_a_draft_offers_its_units_line_without_changing_it(client_as, proposal, units, awards, ranked):
    draft = proposal("LDLD")
    client = client_as("chair")
    url = reverse("awards:proposal_edit", args=[draft.pk])
    page = client.get(url).content.decode()
    assert FIRST in page and field_text(page) == ""
    data = proposal_form_data(awards[PROVINCIAL_FLAG], units["vice_unit"])
    assert field_text(client.post(url, {**data, **INSERT}).content.decode()) == FIRST
    draft.refresh_from_db()
    assert draft.award_reason == ""


@pytest.mark.parametrize(
    ("state", "message"),
    [
        ("none", "chưa chốt xếp hạng năm 2021"),
        ("reopened", "đã được mở lại"),
        ("not_ranked", "Hội Cựu chiến binh tỉnh chưa được xếp hạng"),
        ("person", "chỉ gợi ý cho đề nghị khen thưởng chính đơn vị đó"),
    ],
)
def test_without_a_line_to_insert_the_form_says_why_and_changes_nothing(
    client_as, bloc, units, awards, request, state, message
):
    if state == "reopened":
        request.getfixturevalue("reopened")
    elif state != "none":
        request.getfixturevalue("ranked")
    unit = units["veterans"] if state == "not_ranked" else units["vice_unit"]
    overrides = {"recipient": "person", "person_name": "Trần Văn An"} if state == "person" else {}
    data = proposal_form_data(awards[CHAIRMAN_CERTIFICATE], unit, award_reason="Lý do đã gõ.", **overrides)
    response = client_as("chair").post(create_url(bloc), {**data, **INSERT})
    page = response.content.decode()
    assert response.status_code == OK and message in page
    assert field_text(page) == "Lý do đã gõ."
    assert not Proposal.objects.exists()


def test_a_shared_rank_is_cited_as_shared(client_as, bloc, units, awards, enter_ranking):
    enter_ranking({"LDLD": (1, "90"), "MTTQ": (1, "90")})
    data = proposal_form_data(awards[PROVINCIAL_FLAG], units["chair_unit"])
    page = client_as("chair").post(create_url(bloc), {**data, **INSERT}).content.decode()
    assert field_text(page) == "Đồng xếp hạng Nhất Khối thi đua các tổ chức chính trị - xã hội năm 2021"


def test_a_cluster_is_cited_in_its_own_words(client_as, bloc, units, awards, enter_ranking):
    Bloc.objects.filter(pk=bloc.pk).update(kind=Bloc.Kind.CLUSTER, name="các huyện phía Bắc")
    enter_ranking()
    data = proposal_form_data(awards[PROVINCIAL_FLAG], units["vice_unit"])
    page = client_as("chair").post(create_url(bloc), {**data, **INSERT}).content.decode()
    assert field_text(page) == "Xếp hạng Nhất Cụm thi đua các huyện phía Bắc năm 2021"


@pytest.mark.parametrize("role", ROLES)
def test_only_those_who_write_the_proposal_may_insert_and_nobody_saves_by_it(
    client_as, bloc, units, awards, ranked, role
):
    check_post(
        client_as(role),
        create_url(bloc),
        {**proposal_form_data(awards[PROVINCIAL_FLAG], units["vice_unit"]), **INSERT},
        {**MANAGERS, "chair": OK, "vice_chair": OK, "officer": OK},
        role,
        state=lambda: list(Proposal.objects.values_list("pk", "award_reason")),
    )


# --- The saved reason in the award history -----------------------------------------------------------------


def test_the_saved_reason_shows_in_the_award_history(client_as, bloc, units, awards, ranked):
    client = client_as("chair")
    data = proposal_form_data(awards[PROVINCIAL_FLAG], units["vice_unit"], award_reason=FIRST)
    assert client.post(create_url(bloc), data).status_code == 302
    proposal = Proposal.objects.get()
    detail = client.get(reverse("awards:proposal_detail", args=[proposal.pk])).content.decode()
    assert FIRST in detail
    unit_page = client.get(reverse("blocs:unit_detail", args=[units["vice_unit"].pk])).content.decode()
    assert f'<div class="small award-reason">{FIRST}</div>' in unit_page


# --- An award decided outside the portal ------------------------------------------------------------------


def external_data(awards, units, of_bloc, **overrides) -> dict:
    data = {
        "award_type": awards[PROVINCIAL_FLAG].pk,
        "year": str(YEAR),
        "recipient": "unit",
        "unit": units["vice_unit"].pk,
        "bloc": of_bloc.pk,
        "decision_number": "15/QĐ-UBND",
        "decision_date": "20/03/2022",
        "award_reason": "",
    }
    return data | overrides


def test_an_officer_inserts_the_ranking_of_the_bloc_year_chosen(client_as, bloc, units, awards, ranked):
    client = client_as("officer")
    url = reverse("awards:external_create")
    assert "Chèn xếp hạng" in client.get(url).content.decode()
    response = client.post(url, {**external_data(awards, units, bloc), **INSERT})
    assert response.status_code == OK and not Proposal.objects.exists()
    page = response.content.decode()
    assert field_text(page) == FIRST
    assert 'value="15/QĐ-UBND"' in page  # the rest of the form as typed
    response = client.post(url, external_data(awards, units, bloc, award_reason=FIRST))
    assert response.status_code == 302
    award = Proposal.objects.get()
    assert (award.source, award.award_reason) == (Proposal.Source.EXTERNAL, FIRST)
    history = client.get(reverse("blocs:unit_detail", args=[units["vice_unit"].pk])).content.decode()
    assert FIRST in history


def test_an_officer_gets_no_line_of_another_councils_bloc_or_without_a_bloc(
    client_as, bloc, units, awards, ranked, other_council
):
    client = client_as("officer")
    url = reverse("awards:external_create")
    foreign = BlocFactory(council=other_council)
    for bloc_value in (foreign.pk, ""):
        page = client.post(url, {**external_data(awards, units, bloc, bloc=bloc_value), **INSERT}).content.decode()
        assert field_text(page) == "" and "Chọn khối, cụm thi đua và năm của xếp hạng." in page
    assert not Proposal.objects.exists()


def test_the_councils_award_list_prints_the_saved_reason(client_as, bloc, units, awards, ranked, council):
    data = proposal_form_data(awards[PROVINCIAL_FLAG], units["vice_unit"], award_reason=FIRST)
    assert client_as("chair").post(create_url(bloc), data).status_code == 302
    content = list_content(council=council, year=YEAR, proposals=list(Proposal.objects.all()), today=date(2022, 1, 5))
    assert f"Liên đoàn Lao động tỉnh\n{FIRST}" in content.text()
