"""Printing a page (portal.css, @media print): every page carries a header shown only on paper, with the
portal's name and the day; portal.js adds the page's title."""

import pytest
from django.urls import reverse
from django.utils import timezone


@pytest.mark.django_db
def test_every_page_has_the_print_header_with_the_day(client_as):
    response = client_as("member").get(reverse("blocs:home"))
    today = timezone.localdate().strftime("%d/%m/%Y")
    assert '<header class="print-header" data-title-suffix=" · Thi đua – Khen thưởng">' in response.text
    assert f'Cổng thông tin khối, cụm thi đua<span class="print-title" data-print-title></span> · in ngày {today}' in (
        response.text
    )
