"""What the awards app gives the council's year report (``awards/reports.py``) and the unit page's awards over
the years: collectives and individuals told apart, proposals against awards, the late blocs, and a unit's
decided awards by year beside their chart."""

from datetime import date, timedelta

import pytest
from django.urls import reverse

from awards import reports, services
from awards.catalogue import CHAIRMAN_CERTIFICATE, PROVINCIAL_FLAG
from awards.models import Proposal
from awards.providers import AWARD_YEARS_SHOWN, award_years
from blocs import services as blocs_services
from blocs.models import Deadline

from ..conftest import YEAR
from ..factories import BlocFactory, MembershipFactory

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("english", "awards_checks_only")]


def explained(p):
    return services.proposal_reason_set(proposal=p, key="registration", reason="Đăng ký bổ sung.", by=None)


def rows_by(result, key="award_type"):
    return {row[key]: row for row in result.rows}


def test_collectives_and_individuals_proposed_and_awarded(council, proposal, walk, awards, units, users):
    flag = explained(proposal("LDLD"))
    walk.to_decided(flag)
    proposal("LHPN", type_code=CHAIRMAN_CERTIFICATE, collective_name="Ban Tuyên giáo")  # a named collective
    proposal("HND", type_code=CHAIRMAN_CERTIFICATE, person=("Võ Văn Thành", "Chủ tịch"))
    rejected = explained(proposal("CCB", type_code=CHAIRMAN_CERTIFICATE))
    walk.submit(rejected)
    services.proposal_reject(proposal=rejected, reason="Chưa đủ điều kiện.", by=users["officer"])
    services.award_enter_external(
        council=council,
        award_type=awards[CHAIRMAN_CERTIFICATE],
        year=YEAR,
        unit=units["chair_unit"],
        decision_number="77/QĐ-UBND",
        decision_date=date(2022, 4, 1),
        by=users["officer"],
    )
    result = rows_by(reports.by_type_rows(council, YEAR))
    flag_name, certificate_name = awards[PROVINCIAL_FLAG].name, awards[CHAIRMAN_CERTIFICATE].name
    assert list(result) == [flag_name, certificate_name]  # the catalogue's order
    assert result[flag_name] | {} == {
        "award_type": flag_name,
        "proposed_collective": 1,
        "proposed_individual": 0,
        "decided_collective": 1,
        "decided_individual": 0,
        "decided": 1,
    }
    certificate = result[certificate_name]
    # Proposed in the portal: the named collective, the rejected unit and the person; the award entered from
    # outside is an award, never a proposal.
    assert (certificate["proposed_collective"], certificate["proposed_individual"]) == (2, 1)
    assert (certificate["decided_collective"], certificate["decided_individual"], certificate["decided"]) == (1, 0, 1)
    states = {row["state"]: row["proposals"] for row in reports.by_state_rows(council, YEAR).rows}
    assert list(states) == [str(status.label) for status in Proposal.Status]
    assert (states["Decided"], states["Draft"], states["Rejected"], sum(states.values())) == (1, 2, 1, 4)
    years = {row["year"]: row for row in reports.by_year_rows(council, YEAR).rows}
    assert list(years) == [str(y) for y in range(YEAR - 4, YEAR + 1)]
    assert years[str(YEAR)] == {"year": str(YEAR), "collective": 2, "individual": 0, "total": 2}


def test_registrations_count_the_units_of_each_award_type(council, bloc, units, users, awards):
    for key in ("member_unit", "farmers"):
        services.registration_add(
            bloc=bloc, year=YEAR, unit=units[key], award_type=awards[PROVINCIAL_FLAG], by=users["officer"]
        )
    assert reports.registration_rows(council, YEAR).rows == [{"award_type": awards[PROVINCIAL_FLAG].name, "units": 2}]
    assert reports.registration_rows(council, YEAR - 1).rows == []


def test_the_late_blocs_against_the_deadline(council, bloc, units, proposal, walk, users):
    assert "no submission deadline" in reports.lateness_rows(council, YEAR).note
    deadline = date(2022, 1, 15)
    blocs_services.deadline_set(council=council, year=YEAR, kind=Deadline.Kind.SUBMISSION, due_on=deadline)
    walk.submit(explained(proposal("LDLD")), on=deadline + timedelta(days=3))
    proposal("LHPN", type_code=CHAIRMAN_CERTIFICATE)
    proposal("HND", type_code=CHAIRMAN_CERTIFICATE)
    other = BlocFactory(council=council, code="KTĐ7", name="Khối thi đua 7")
    MembershipFactory(bloc=other, unit=units["outside_unit"], first_year=2018)
    on_time = BlocFactory(council=council, code="KTĐ8", name="Khối thi đua 8")
    MembershipFactory(bloc=on_time, unit=units["veterans"], first_year=2018)
    services.submission_create(
        bloc=on_time,
        year=YEAR,
        proposals=[
            explained(proposal("CCB", bloc_=on_time, type_code=CHAIRMAN_CERTIFICATE, by=users["officer"])),
        ],
        by=users["officer"],
        on=deadline,
    )
    rows = {row["bloc"]: row for row in reports.lateness_rows(council, YEAR).rows}
    assert set(rows) == {bloc.name, other.name}  # the bloc that submitted on the deadline is not late
    assert rows[bloc.name] | {} == {
        "bloc": bloc.name,
        "deadline": deadline,
        "submitted_on": deadline + timedelta(days=3),
        "days_late": 3,
        "situation": "Submitted 3 days late; 2 proposals not submitted",
    }
    assert rows[other.name]["situation"] == "Nothing submitted"
    assert rows[other.name]["submitted_on"] is None and rows[other.name]["days_late"] is None


# A unit's awards over the years (the unit page) --------------------------------------------------------


def test_the_unit_page_counts_its_decided_awards_by_year_beside_a_chart(client_as, proposal, walk, units, users):
    walk.to_decided(explained(proposal("LDLD")))
    earlier = explained(proposal("LDLD", type_code=CHAIRMAN_CERTIFICATE, year=YEAR - 2))
    walk.submit(earlier, year=YEAR - 2)
    walk.approve(earlier)
    walk.decide(earlier, number="9/QĐ-UBND")
    walk.to_decided(
        explained(proposal("LDLD", type_code=CHAIRMAN_CERTIFICATE, person=("Lê Minh Tâm", "Chủ tịch"))),
        number="10/QĐ-UBND",
    )
    proposal("LDLD", type_code=CHAIRMAN_CERTIFICATE, year=YEAR + 1)  # proposed, not an award yet
    page = client_as("member").get(reverse("blocs:unit_detail", args=[units["vice_unit"].pk])).content.decode()
    table = page.split('id="unit-award-years"', 1)[1].split("</table>", 1)[0]
    cells = [row.split("</td>")[:-1] for row in table.split("<tr>")[2:]]
    numbers = [[cell.rsplit(">", 1)[1] for cell in row] for row in cells]
    assert numbers == [[str(YEAR - 2), "1", "0", "1"], [str(YEAR - 1), "0", "0", "0"], [str(YEAR), "1", "1", "2"]]
    svg = page.split('id="unit-award-years-chart"', 1)[1].split("</svg>", 1)[0]
    assert 'role="img"' in svg and 'aria-describedby="unit-award-years"' in svg and svg.count("<rect") == 3


def test_a_unit_without_awards_has_no_chart(client_as, proposal, units, users):
    proposal("LHPN")
    page = client_as("member").get(reverse("blocs:unit_detail", args=[units["member_unit"].pk])).content.decode()
    assert 'id="unit-award-years"' not in page and "<svg" not in page


def test_the_years_shown_are_the_latest_ones(proposal):
    class Award:
        def __init__(self, year, person_id=None):
            self.year, self.person_id, self.status = year, person_id, Proposal.Status.DECIDED

    rows = award_years([Award(1990), Award(2021), Award(2021, person_id=3)])
    assert len(rows) == AWARD_YEARS_SHOWN and rows[0]["year"] == 2021 - AWARD_YEARS_SHOWN + 1
    assert rows[-1] == {"year": 2021, "collective": 1, "individual": 1, "total": 2}
