"""Vote counts of an election by secret ballot: the valid ballots and each elected seat's votes are
optional (unknown is a valid answer). Where entered they are a secret ballot's and add up (the service says
so next to the field; the database refuses the rest), and the minutes print only what was entered:
"… (được 4/5 phiếu)", "(được 4 phiếu)" without the ballots, nothing without the votes."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse

from meetings import services
from meetings.models import MeetingElectedSeat, MeetingElection

from ..fixtures.meetings import bare_record, minutes_texts, results_post_data, row_counts
from ..roles import OK, REDIRECT

pytestmark = pytest.mark.django_db
SECRET = MeetingElection.Method.SECRET_BALLOT


def secret_ballot(units, **counts) -> services.ElectionEntry:
    return services.ElectionEntry(chair=units["vice_unit"], vice_chairs=[units["farmers"]], method=SECRET, **counts)


def election_texts(meeting) -> list[str]:
    """The election paragraph as the PDF (two extractors) and the Word document print it."""
    return [text.split("Bầu Khối trưởng, Khối phó năm 2022", 1)[1] for text in minutes_texts(meeting).values()]


def test_counts_entered_are_kept_and_printed(bare, units, awards, users):
    bare_record(bare, units, awards, users, election=secret_ballot(units, ballots=5, votes=[4, 5]))
    election = MeetingElection.objects.get(meeting=bare)
    assert election.ballots == 5
    assert [(s.unit_id, s.votes) for s in election.seats.all()] == [
        (units["vice_unit"].pk, 4),
        (units["farmers"].pk, 5),
    ]
    for text in election_texts(bare):
        assert "Liên đoàn Lao động tỉnh làm Khối trưởng (được 4/5 phiếu)" in text
        assert "Hội Nông dân tỉnh làm Khối phó (được 5/5 phiếu)" in text


def test_only_what_was_entered_is_printed(bare, units, awards, users):
    bare_record(bare, units, awards, users, election=secret_ballot(units, votes=[4, None]))
    for text in election_texts(bare):
        assert "làm Khối trưởng (được 4 phiếu)" in text
        assert "Hội Nông dân tỉnh làm Khối phó Khối" in text  # no count of its own
        assert "Số phiếu hợp lệ" not in text
    bare_record(bare, units, awards, users, election=secret_ballot(units, ballots=5))
    for text in election_texts(bare):
        assert "Số phiếu hợp lệ: 5." in text and "được" not in text.split("Số phiếu hợp lệ")[0]


def test_no_counts_print_nothing(bare, units, awards, users):
    bare_record(bare, units, awards, users, election=secret_ballot(units))
    for text in election_texts(bare):
        assert "Hội nghị bỏ phiếu kín bầu Liên đoàn Lao động tỉnh làm Khối trưởng, Hội Nông dân" in text
        assert "phiếu)" not in text and "Số phiếu hợp lệ" not in text


@pytest.mark.usefixtures("english")
@pytest.mark.parametrize("method", [MeetingElection.Method.ACCLAMATION, MeetingElection.Method.NOT_RECORDED])
def test_counts_need_a_secret_ballot(bare, units, awards, users, method):
    election = services.ElectionEntry(
        chair=units["vice_unit"], vice_chairs=[units["farmers"]], method=method, ballots=5, votes=[None, 4]
    )
    before = row_counts()
    with pytest.raises(ValidationError) as excinfo:
        bare_record(bare, units, awards, users, election=election)
    errors = excinfo.value.message_dict
    assert errors["election_ballots"] == ["Vote counts are recorded only for an election by secret ballot."]
    assert errors["election_vice_1_votes"] == ["Vote counts are recorded only for an election by secret ballot."]
    assert row_counts() == before


@pytest.mark.usefixtures("english")
def test_no_seat_has_more_votes_than_ballots(bare, units, awards, users):
    with pytest.raises(ValidationError) as excinfo:
        bare_record(bare, units, awards, users, election=secret_ballot(units, ballots=5, votes=[5, 6]))
    assert excinfo.value.message_dict == {"election_vice_1_votes": ["6 votes is more than the 5 valid ballots."]}


def test_the_database_refuses_counts_that_do_not_add_up(bare, units, awards, users):
    bare_record(bare, units, awards, users, election=secret_ballot(units, ballots=5, votes=[4, 5]))
    election = MeetingElection.objects.get(meeting=bare)
    with pytest.raises(IntegrityError), transaction.atomic():
        MeetingElection.objects.filter(pk=election.pk).update(method=MeetingElection.Method.ACCLAMATION)
    with pytest.raises(IntegrityError), transaction.atomic():
        MeetingElectedSeat.objects.filter(election=election, rank=0).update(votes=6)


def test_the_results_page_takes_the_counts_next_to_the_election(client_as, meeting, units):
    client = client_as("chair")
    url = reverse("meetings:meeting_results", args=[meeting.pk])
    data = results_post_data(client.get(url))
    data.update(
        {
            "election_chair": str(units["vice_unit"].pk),
            "election_chair_votes": "4",
            "election_vice_1": str(units["farmers"].pk),
            "election_vice_1_votes": "5",
            "election_method": SECRET,
            "election_ballots": "5",
        }
    )
    assert client.post(url, data).status_code == REDIRECT
    election = MeetingElection.objects.get(meeting=meeting)
    assert election.ballots == 5 and [s.votes for s in election.seats.all()] == [4, 5]
    # The page shows them again as recorded.
    main = client.get(url).context["main"]
    assert main.initial["election_ballots"] == 5
    assert (main.initial["election_chair_votes"], main.initial["election_vice_1_votes"]) == (4, 5)


@pytest.mark.usefixtures("english")  # the errors are lazy: read in the test, they speak its language
def test_a_count_error_shows_next_to_its_field(english_client, client_as, meeting, units, users):
    english_client.force_login(users["chair"])
    url = reverse("meetings:meeting_results", args=[meeting.pk])
    data = results_post_data(english_client.get(url))
    data.update(
        {
            "election_chair": str(units["vice_unit"].pk),
            "election_chair_votes": "6",
            "election_method": SECRET,
            "election_ballots": "5",
            "election_vice_2_votes": "3",  # votes for a seat nobody was elected to
        }
    )
    before = row_counts()
    response = english_client.post(url, data)
    assert response.status_code == OK
    assert row_counts() == before
    errors = response.context["main"].errors
    assert errors["election_vice_2_votes"] == ["Choose the unit these votes elected, or leave the votes empty."]
    data.pop("election_vice_2_votes")
    response = english_client.post(url, data)
    assert response.status_code == OK
    assert response.context["main"].errors["election_chair_votes"] == ["6 votes is more than the 5 valid ballots."]
    page = response.content.decode()
    assert page.index("6 votes is more than the 5 valid ballots.") > page.index('name="election_chair_votes"')
