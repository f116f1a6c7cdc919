"""Words officers read: one English word with two Vietnamese meanings is told apart by a message context,
Django's own and third-party wording the Vietnamese catalogues lack is the portal's, and the login error
reads as Vietnamese written by a person (docs/architecture.md, "Translations")."""

import re

import pytest
from django.urls import reverse
from django.utils import translation
from django.utils.translation import pgettext

from tests.conftest import YEAR
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("context", "msgid", "vietnamese"),
    [
        ("award level", "State", "Nhà nước"),
        ("status", "State", "Trạng thái"),
        ("position", "Title", "Chức vụ"),
        ("document", "Title", "Tiêu đề"),
    ],
)
def test_one_english_word_with_two_meanings_has_a_translation_per_context(context, msgid, vietnamese):
    with translation.override("vi"):
        assert pgettext(context, msgid) == vietnamese


def test_the_pledge_versions_table_heads_its_status_column_as_status(client_as, final):
    page = client_as("chair").get(reverse("pledges:pledge_detail", args=[final.pledge.bloc_id, YEAR])).content
    versions = page.decode().split('id="versions"', 1)[1].split("</thead>", 1)[0]
    assert "Trạng thái" in versions
    assert "Nhà nước" not in versions


def test_the_signatory_position_is_labelled_chuc_vu(client_as, signing, users):
    page = client_as("member").get(reverse("pledges:pledge_sign", args=[signing.pledge_id])).content.decode()
    assert "Chức vụ" in page
    assert "Tiêu đề" not in page


def test_a_wrong_password_says_so_in_plain_vietnamese(client, users):
    response = client.post(reverse("blocs:login"), {"username": "member", "password": "not the password"})
    page = response.content.decode()
    assert "Tên đăng nhập hoặc mật khẩu không đúng." in page
    assert "Vui lòng điền vào" not in page  # Django's stock wording


def test_the_admin_names_every_app_and_model_in_vietnamese(client):
    client.force_login(UserFactory(username="root", is_superuser=True, is_staff=True))
    text = re.sub(r"<[^>]+>", " ", client.get("/admin/").content.decode())
    for english in ["Django", "Model name", "Add link", "Skip to main content", "Toggle theme", "Access", "Task"]:
        assert english not in text, english
    assert "Đăng nhập không thành công" in text  # django-axes
    assert "Tác vụ chạy nền" in text  # django-tasks-db
