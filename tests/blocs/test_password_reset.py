"""A forgotten password, reset by e-mail (Quên mật khẩu) with Django's views: the login page links to it, the
e-mail is Vietnamese (plain text and HTML) with a link built from the request's host, the link sets a new
password once, and the new password logs in. The page after the request is the same whether an account has
the address or not, and nothing is sent for an unknown, inactive or password-less account."""

from __future__ import annotations

import re

import pytest
from django.contrib.auth import SESSION_KEY
from django.core import mail
from django.test import Client, TestCase
from django.urls import reverse

from ..conftest import PASSWORD

pytestmark = pytest.mark.django_db

NEW_PASSWORD = "Mat-khau-moi-2026!"
LINK = re.compile(r"https?://[^/\s]+(/accounts/reset/[^/\s]+/[^/\s]+/)")


@pytest.fixture
def member(users):
    user = users["member"]
    user.email = "lhpn@angiang.gov.vn"
    user.save()
    return user


def ask(client: Client, email: str, **headers):
    """Ask for the link. The e-mail goes on the queue once the request commits: the commit's callbacks run
    here, as a real commit would run them (the immediate queue then sends it in this process)."""
    with TestCase.captureOnCommitCallbacks(execute=True):
        return client.post(reverse("blocs:password_reset"), {"email": email}, **headers)


def reset_link(message) -> str:
    found = LINK.search(message.body)
    assert found, message.body
    return found[1]


def test_the_login_page_links_to_the_reset(client):
    page = client.get(reverse("blocs:login")).content.decode()
    assert f'href="{reverse("blocs:password_reset")}"' in page
    assert "Quên mật khẩu?" in page


def test_the_whole_reset_logs_in_with_the_new_password(client, member):
    member.must_change_password = True
    member.save()
    response = ask(client, "LHPN@angiang.gov.vn")  # any letter case
    assert response.status_code == 302 and response.url == reverse("blocs:password_reset_done")
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == ["lhpn@angiang.gov.vn"]
    assert message.subject == "Đặt lại mật khẩu Cổng thông tin khối, cụm thi đua"
    assert "Kính gửi" in message.body and "Tên đăng nhập của bạn: member" in message.body
    assert "http://testserver/accounts/reset/" in message.body  # the request's host and protocol
    html, kind = message.alternatives[0]
    assert kind == "text/html" and "Chọn mật khẩu mới" in html
    link = reset_link(message)
    assert f'href="http://testserver{link}"' in html

    # Django moves the token into the session and sends the browser to the form without it in the address.
    form_page = client.get(link, follow=True)
    assert form_page.status_code == 200 and form_page.context["validlink"]
    form_url = form_page.redirect_chain[-1][0]
    done = client.post(form_url, {"new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD})
    assert done.status_code == 302 and done.url == reverse("blocs:password_reset_complete")
    assert "Mật khẩu mới đã được lưu" in client.get(done.url).content.decode()

    member.refresh_from_db()
    assert member.check_password(NEW_PASSWORD) and not member.must_change_password
    fresh = Client()
    assert fresh.post(reverse("blocs:login"), {"username": "member", "password": PASSWORD}).status_code == 200
    login = fresh.post(reverse("blocs:login"), {"username": "member", "password": NEW_PASSWORD})
    assert login.status_code == 302 and fresh.session[SESSION_KEY] == str(member.pk)


def test_the_link_works_once(client, member):
    ask(client, member.email)
    link = reset_link(mail.outbox[0])
    form_url = client.get(link, follow=True).redirect_chain[-1][0]
    client.post(form_url, {"new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD})
    again = Client().get(link, follow=True)
    assert not again.context["validlink"]
    assert "Liên kết không còn dùng được" in again.content.decode()


def test_a_weak_new_password_is_refused_in_vietnamese(client, member):
    ask(client, member.email)
    form_url = client.get(reset_link(mail.outbox[0]), follow=True).redirect_chain[-1][0]
    response = client.post(form_url, {"new_password1": "12345678", "new_password2": "12345678"})
    assert response.status_code == 200 and "12 ký tự" in response.content.decode()
    member.refresh_from_db()
    assert member.check_password(PASSWORD)


@pytest.mark.parametrize("case", ["unknown", "inactive", "unusable"])
def test_no_account_no_mail_and_the_same_page(client, member, case):
    known = ask(Client(), member.email)
    mail.outbox.clear()
    email = member.email
    if case == "unknown":
        email = "khong-co@angiang.gov.vn"
    elif case == "inactive":
        member.is_active = False
        member.save()
    else:
        member.set_unusable_password()
        member.save()
    response = ask(client, email)
    assert mail.outbox == []
    assert (response.status_code, response.url) == (known.status_code, known.url)
    page = client.get(response.url).content.decode()
    assert "Nếu có tài khoản mang địa chỉ email này" in page


def test_the_reset_pages_open_without_a_login(client, member):
    for name in ("password_reset", "password_reset_done", "password_reset_complete"):
        assert client.get(reverse(name.join(["blocs:", ""]))).status_code == 200, name
    bad = client.get(reverse("blocs:password_reset_confirm", args=["MQ", "set-password"]))
    assert bad.status_code == 200 and not bad.context["validlink"]


def test_a_reset_ends_a_lockout_of_failed_logins(client, member, settings):
    for _attempt in range(settings.AXES_FAILURE_LIMIT):
        Client().post(reverse("blocs:login"), {"username": "member", "password": "sai-mat-khau"})
    assert Client().post(reverse("blocs:login"), {"username": "member", "password": PASSWORD}).status_code == 429
    locked = Client().post(reverse("blocs:login"), {"username": "member", "password": PASSWORD})
    assert f'href="{reverse("blocs:password_reset")}"' in locked.content.decode()
    ask(client, member.email)
    form_url = client.get(reset_link(mail.outbox[0]), follow=True).redirect_chain[-1][0]
    client.post(form_url, {"new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD})
    login = Client().post(reverse("blocs:login"), {"username": "member", "password": NEW_PASSWORD})
    assert login.status_code == 302


def test_the_mail_speaks_vietnamese_whatever_the_browser(client, member):
    ask(client, member.email, HTTP_ACCEPT_LANGUAGE="en")
    assert mail.outbox[0].subject == "Đặt lại mật khẩu Cổng thông tin khối, cụm thi đua"
    assert "Liên kết chỉ dùng được một lần, trong 1 giờ." in mail.outbox[0].body
