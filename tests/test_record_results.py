"""The results page and the seats page start from what is recorded (DESIGN section 1a: a suggestion is
never a fact; sections of a form the user did not touch are not written; a save that changes recorded
seats shows what changes and asks to confirm)."""

from __future__ import annotations

import re

from django.urls import reverse

from blocs.services import seats_suggest

from .conftest import YEAR


def selected(page: str, name: str) -> str | None:
    """The value of the selected option of the select ``name`` (None: nothing selected)."""
    select = re.search(rf'<select name="{name}"[^>]*>(.*?)</select>', page, re.S)
    assert select, name
    option = re.search(r'<option value="([^"]*)"[^>]*selected', select.group(1))
    return option.group(1) if option and option.group(1) else None


# --- The seats page --------------------------------------------------------------------------------------


def test_seats_page_of_a_year_without_seats_prefills_nothing_and_offers_the_suggestion_beside(client_as, bloc):
    page = client_as("officer").get(reverse("seats_edit", args=[bloc.pk, YEAR + 1])).content.decode()
    assert selected(page, "chair") is None
    assert all(selected(page, f"vice_{rank}") is None for rank in (1, 2, 3))
    # The suggestion stays beside the form, with its reasons and its own accept button.
    assert "Liên đoàn Lao động tỉnh" in page
    assert 'name="accept_suggestion"' in page


def test_seats_page_of_a_recorded_year_shows_the_recorded_seats(client_as, bloc, units):
    page = client_as("officer").get(reverse("seats_edit", args=[bloc.pk, YEAR])).content.decode()
    assert selected(page, "chair") == str(units["chair_unit"].pk)
    assert selected(page, "vice_1") == str(units["vice_unit"].pk)


def test_suggestion_without_a_year_before_says_so_and_not_that_its_vice_chair_left(bloc, units):
    suggestion = seats_suggest(bloc=bloc, year=2019)  # the bloc's first seats are those of 2021
    text = " ".join(str(reason) for reason in suggestion.reasons)
    assert "không còn là thành viên" not in text
    assert "Chưa ghi nhận chức danh nào của năm 2018" in text
    assert suggestion.chair == units["chair_unit"]
