"""Hardening of the pages and the accounts: a strict Content-Security-Policy that the pages keep (no inline
script, event handler or style attribute), and the password policy (12 characters at least, the
similarity check at account creation, a forced change after an officer sets someone's password)."""

from __future__ import annotations

import re
from datetime import date, time
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from django.conf import settings
from django.urls import reverse

from awards import services as awards_services
from awards.catalogue import PROVINCIAL_FLAG
from awards.models import AwardType
from blocs.models import User
from meetings import services as meetings_services
from meetings.models import Meeting

from ..browser import browser, log_in, page  # noqa: F401  (fixtures)
from ..conftest import PASSWORD, YEAR
from ..fixtures.pledges import make_draft

pytestmark = pytest.mark.django_db

TEMPLATES = Path(settings.BASE_DIR) / "templates"
# Documents are rendered to PDF by WeasyPrint, never served as a page: their <style> and style= are fine.
DOCUMENT_TEMPLATE = "documents/base_document.html"
# Files, not pages (and slow to render): the crawl leaves them out.
DOWNLOAD = re.compile(r"(\.pdf|\.xlsx|\.docx|\.ics|/pdf/|/download/|/report/|/scans/\d+/)$")


# ═══ Content-Security-Policy ═══════════════════════════════════════════════════════════════════════════


def policy(response) -> dict[str, set[str]]:
    header = response.headers.get("Content-Security-Policy", "")
    directives = (part.split() for part in header.split(";") if part.strip())
    return {words[0]: set(words[1:]) for words in directives}


STRICT = {
    "default-src": {"'self'"},
    "script-src": {"'self'"},
    "style-src": {"'self'"},
    "img-src": {"'self'", "data:"},
    "frame-ancestors": {"'none'"},
    "form-action": {"'self'"},
    "base-uri": {"'self'"},
    "object-src": {"'none'"},
}


def assert_strict_policy(response, label: str) -> None:
    directives = policy(response)
    for name, sources in STRICT.items():
        assert directives.get(name) == sources, f"{label}: {name} is {directives.get(name)}"


class InlineCode(HTMLParser):
    """Collects what a strict policy blocks: inline <script>, on*= handlers, style= and <style>, javascript:."""

    def __init__(self):
        super().__init__()
        self.found: list[str] = []

    def handle_starttag(self, tag, attrs):
        names = dict(attrs)
        if tag == "script" and not names.get("src"):
            self.found.append(f"<script> without src at line {self.getpos()[0]}")
        if tag == "style":
            self.found.append(f"<style> at line {self.getpos()[0]}")
        for name, value in attrs:
            if name.startswith("on"):
                self.found.append(f"{name}= on <{tag}> at line {self.getpos()[0]}")
            if name == "style":
                self.found.append(f"style= on <{tag}> at line {self.getpos()[0]}")
            if name in ("href", "src", "action") and (value or "").strip().lower().startswith("javascript:"):
                self.found.append(f"javascript: URL on <{tag}> at line {self.getpos()[0]}")


def inline_code(html: str) -> list[str]:
    parser = InlineCode()
    parser.feed(html)
    parser.close()
    return parser.found


def page_templates() -> list[Path]:
    """Every template that ends up in a page (the PDF documents' templates are not pages)."""
    return [
        path
        for path in sorted(TEMPLATES.rglob("*.html"))
        if path.relative_to(TEMPLATES).parts[0] != "documents" and DOCUMENT_TEMPLATE not in path.read_text()
    ]


SCRIPT_WITHOUT_SRC = re.compile(r"<script(?![^>]*\ssrc=)[^>]*>", re.IGNORECASE)
EVENT_HANDLER = re.compile(r"\son[a-z]+\s*=", re.IGNORECASE)
STYLE_ATTRIBUTE = re.compile(r"\sstyle\s*=|<style", re.IGNORECASE)


def test_the_page_templates_have_no_inline_script_handler_or_style():
    assert len(page_templates()) > 50  # the scan sees the templates
    problems = []
    for path in page_templates():
        text = path.read_text()
        for pattern in (SCRIPT_WITHOUT_SRC, EVENT_HANDLER, STYLE_ATTRIBUTE):
            for match in pattern.finditer(text):
                line = text.count("\n", 0, match.start()) + 1
                problems.append(f"{path.relative_to(TEMPLATES)}:{line}: {match.group(0).strip()}")
    assert problems == []


def test_the_inline_code_check_finds_what_the_policy_blocks():
    html = (
        '<script src="/static/x.js"></script><script>alert(1)</script>'
        '<select onchange="this.form.submit()"></select><div style="width:5em"></div><a href="javascript:x()">'
    )
    assert len(inline_code(html)) == 4


def test_the_login_page_carries_the_strict_policy(client):
    response = client.get(reverse("blocs:login"))
    assert_strict_policy(response, "login")
    assert "'unsafe-inline'" not in response.headers["Content-Security-Policy"]
    assert inline_code(response.content.decode()) == []


@pytest.fixture
def crawl_objects(bloc, units, seats, users, signing):
    """A few objects so the crawl reaches the pages of each app: a pledge being signed (the fixture), next
    year's pledge in drafting, a scheduled year-end conference and a draft proposal."""
    next_year = make_draft(bloc, year=YEAR + 1, by=users["chair"])
    meetings_services.meeting_schedule(
        bloc=bloc,
        kind=Meeting.Kind.YEAR_END,
        year=YEAR,
        date=date(YEAR, 12, 28),
        start_time=time(14, 0),
        end_time=None,
        place="Hội trường Ủy ban MTTQ tỉnh",
        presiding_name="",
        presiding_title="",
        secretary_name="",
        secretary_title="",
        by=users["chair"],
    )
    awards_services.proposal_save(
        bloc=bloc,
        year=YEAR,
        award_type=AwardType.objects.get(council=bloc.council, code=PROVINCIAL_FLAG),
        unit=units["member_unit"],
        collective_name="",
        person=None,
        tally=awards_services.Tally(acclamation=True),
        achievement_report=None,
        by=users["chair"],
    )
    # Same address pattern as this year's pledge page, which the crawl opens instead: start there too.
    return [
        reverse("blocs:home"),
        reverse("blocs:search") + "?q=hoi",
        reverse("pledges:pledge_edit", args=[next_year.pledge.pk]),
    ]


class Links(HTMLParser):
    def __init__(self):
        super().__init__()
        self.links: list[str] = []

    def handle_starttag(self, tag, attrs):
        href = dict(attrs).get("href")
        if tag == "a" and href:
            self.links.append(href)


def address_pattern(path: str) -> str:
    """``/meetings/7/results/`` -> ``/meetings/N/results/``: other ids, years and query strings render the
    same templates, so the crawl opens each kind of page once."""
    return re.sub(r"/\d+(?=/|$)", "/N", path)


def crawl(client, *starts: str, limit: int = 120) -> dict[str, object]:
    """GET every kind of page of the portal reachable by links from ``starts``, downloads left out.
    Returns the address pattern -> response."""
    seen: dict[str, object] = {}
    queue = list(starts)
    while queue and len(seen) < limit:
        url = queue.pop(0)
        path = address_pattern(urlsplit(url).path)
        if path in seen:
            continue
        response = client.get(url)
        seen[path] = response
        if response.status_code != 200 or "text/html" not in response.headers.get("Content-Type", ""):
            continue
        parser = Links()
        parser.feed(response.content.decode())
        for href in parser.links:
            parts = urlsplit(href)
            if parts.scheme or parts.netloc or not parts.path.startswith("/"):
                continue  # another site, a fragment or a relative link (the portal writes none)
            if parts.path.startswith(("/admin/", "/static/", "/media/", reverse("blocs:logout"))):
                continue
            if DOWNLOAD.search(parts.path) or address_pattern(parts.path) in seen:
                continue
            queue.append(href)
    return seen


@pytest.mark.parametrize("role", ["officer", "chair"])
def test_every_page_of_a_crawl_carries_the_policy_and_no_inline_code(client_as, crawl_objects, role):
    pages = crawl(client_as(role), *crawl_objects)
    html_pages = {
        path: response
        for path, response in pages.items()
        if response.status_code == 200 and "text/html" in response.headers.get("Content-Type", "")
    }
    # The crawl reached the pages of every app, the forms with scripts included.
    assert len(html_pages) >= 20, sorted(html_pages)
    assert len(pages) < 120, "the crawl stopped at its limit"
    for address in ["/", "/blocs/N/", "/units/N/", "/blocs/N/pledges/N/", "/meetings/N/", "/awards/proposals/N/"]:
        assert address in html_pages, (address, sorted(html_pages))
    if role == "chair":
        for address in ["/meetings/N/results/", "/awards/proposals/N/edit/", "/pledges/N/signatures/"]:
            assert address in html_pages, (address, sorted(html_pages))
        for address in ["/pledges/N/edit/"]:
            assert address in html_pages, (address, sorted(html_pages))
    assert all(response.status_code < 500 for response in pages.values())
    problems = {}
    for path, response in pages.items():
        assert_strict_policy(response, path)
        if path in html_pages:
            found = inline_code(response.content.decode())
            if found:
                problems[path] = found
    assert problems == {}


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_the_pages_scripts_work_under_the_policy_and_the_console_shows_no_violation(page, crawl_objects):  # noqa: F811
    """In Chromium, which enforces the policy: every script moved to static/js still works, and nothing on
    the pages is refused (a refused script, handler or style is logged to the console)."""
    from pledges.models import Pledge

    refused = []

    def on_console(message):
        if "Content Security Policy" in message.text:
            refused.append(message.text)

    page.on("console", on_console)
    page.on("pageerror", lambda error: refused.append(str(error)))
    meeting = Meeting.objects.get()
    log_in(page, "chair", PASSWORD)

    # The results page adds candidate rows with js/formset.js.
    page.goto(reverse("meetings:meeting_results", args=[meeting.pk]))
    rows = page.locator("#votes-table tbody tr").count()
    page.click("#add-vote")
    assert page.locator("#votes-table tbody tr").count() == rows + 1
    assert page.locator(f"select[name=votes-{rows}-award_type]").count() == 1

    # The year picker sends its form when a year is chosen (portal.js, was onchange=).
    page.goto(reverse("blocs:bloc_detail", args=[meeting.bloc.pk]))
    page.select_option("#year-select", str(YEAR - 1))
    page.wait_for_url(f"**?year={YEAR - 1}")

    # The pledge editor adds a section (pledge_edit.js).
    draft = Pledge.objects.get(year=YEAR + 1)
    page.goto(reverse("pledges:pledge_edit", args=[draft.pk]))
    sections = page.locator("#sections .section-form").count()
    page.click("#add-section")
    assert page.locator("#sections .section-form").count() == sections + 1

    # The paper signatures page ticks every unit at once (pledge_record.js).
    signing = Pledge.objects.get(year=YEAR)
    page.goto(reverse("pledges:pledge_signatures_record", args=[signing.pk]))
    page.check("#tick-all")
    assert page.locator(".unit-tick:not(:checked)").count() == 0

    # The proposal form shows the person's fields only for a person (proposal_form.js).
    page.goto(reverse("awards:proposal_create", args=[meeting.bloc.pk, YEAR]))
    assert page.locator("#div_id_person_name").is_hidden()
    page.check("input[name=recipient][value=person]")
    assert page.locator("#div_id_person_name").is_visible()

    assert refused == []


# ═══ Passwords ═════════════════════════════════════════════════════════════════════════════════════════

TOO_SHORT = "Kh0ng-doan1"  # 11 characters, otherwise a good password
LONG_ENOUGH = "Kh0ng-doan12"  # 12
SHORT_IN_VIETNAMESE = "Mật khẩu quá ngắn: phải có ít nhất 12 ký tự."
NEW_ACCOUNT = {"username": "nguyenvana", "last_name": "Nguyễn Văn", "first_name": "An", "email": "", "position": ""}


def password_forms(users) -> dict[str, tuple[str, str, str, dict]]:
    """The three forms that set a password: (who, address, field with the error, other fields)."""
    return {
        "create": ("officer", reverse("blocs:user_create"), "password2", NEW_ACCOUNT),
        "reset": ("officer", reverse("blocs:user_password_reset", args=[users["member"].pk]), "new_password2", {}),
        "change": ("member", reverse("blocs:password_change"), "new_password2", {"old_password": PASSWORD}),
    }


def password_data(form: str, password: str) -> dict[str, str]:
    if form == "create":
        return {"password1": password, "password2": password}
    return {"new_password1": password, "new_password2": password}


@pytest.mark.parametrize("form", ["create", "reset", "change"])
def test_a_password_shorter_than_12_characters_is_refused_in_vietnamese(client_as, users, form):
    role, url, field, fields = password_forms(users)[form]
    response = client_as(role).post(url, {**fields, **password_data(form, TOO_SHORT)})
    assert response.status_code == 200
    assert SHORT_IN_VIETNAMESE in response.context["form"].errors[field]
    assert SHORT_IN_VIETNAMESE in response.content.decode()
    assert not User.objects.filter(username=NEW_ACCOUNT["username"]).exists()
    assert User.objects.get(username="member").check_password(PASSWORD)


@pytest.mark.parametrize("form", ["create", "reset", "change"])
def test_a_password_of_12_characters_is_accepted(client_as, users, form):
    role, url, _field, fields = password_forms(users)[form]
    response = client_as(role).post(url, {**fields, **password_data(form, LONG_ENOUGH)})
    assert response.status_code == 302
    changed = User.objects.get(username=NEW_ACCOUNT["username"] if form == "create" else "member")
    assert changed.check_password(LONG_ENOUGH)


def test_account_creation_refuses_a_password_like_the_username(client_as, users):
    """The similarity check needs the user's name and e-mail: at creation they come from the same form."""
    account = {**NEW_ACCOUNT, "username": "nguyenvanan2021", "email": "an.nguyen@angiang.gov.vn"}
    for password in ["nguyenvanan2021", "an.nguyen@angiang"]:
        response = client_as("officer").post(
            reverse("blocs:user_create"), {**account, **password_data("create", password)}
        )
        assert response.status_code == 200
        errors = " ".join(response.context["form"].errors["password2"])
        assert "Mật khẩu quá giống với" in errors, password
    assert not User.objects.filter(username="nguyenvanan2021").exists()


def test_an_account_an_officer_creates_must_choose_its_own_password(client_as, users):
    client_as("officer").post(reverse("blocs:user_create"), {**NEW_ACCOUNT, **password_data("create", LONG_ENOUGH)})
    assert User.objects.get(username=NEW_ACCOUNT["username"]).must_change_password


FORCED_IN_VIETNAMESE = "Mật khẩu của bạn do cán bộ quản lý đặt."


def test_a_user_whose_password_an_officer_reset_changes_it_before_anything_else(client, client_as, users, bloc):
    member = users["member"]
    client_as("officer").post(
        reverse("blocs:user_password_reset", args=[member.pk]), password_data("reset", LONG_ENOUGH)
    )
    member.refresh_from_db()
    assert member.must_change_password
    client.logout()
    assert client.post(reverse("blocs:login"), {"username": "member", "password": LONG_ENOUGH}).status_code == 302

    # Every page sends them to the password change, reads and writes alike; nothing is written.
    change = reverse("blocs:password_change")
    pages = [
        reverse("blocs:home"),
        reverse("blocs:bloc_detail", args=[bloc.pk]),
        reverse("blocs:unit_list"),
        reverse("awards:index"),
    ]
    for url in pages:
        response = client.get(url)
        assert (response.status_code, response.url) == (302, change), url
    response = client.post(reverse("pledges:pledge_create", args=[bloc.pk, YEAR + 1]))
    assert (response.status_code, response.url) == (302, change)
    assert not bloc.pledges.exists()

    # The password page says why, in Vietnamese; static files and logging out stay open.
    shown = client.get(change)
    assert shown.status_code == 200
    assert any(FORCED_IN_VIETNAMESE in str(message) for message in shown.context["messages"])
    assert client.get(settings.STATIC_URL + "css/portal.css").get("Location") != change

    own = "Mat-khau-rieng-2021"
    response = client.post(change, {"old_password": LONG_ENOUGH, "new_password1": own, "new_password2": own})
    assert response.status_code == 302
    member.refresh_from_db()
    assert not member.must_change_password and member.check_password(own)
    for url in pages:
        assert client.get(url).status_code == 200, url


def test_a_user_who_must_change_the_password_can_log_out(client, users):
    User.objects.filter(pk=users["member"].pk).update(must_change_password=True)
    client.force_login(users["member"])
    response = client.post(reverse("blocs:logout"))
    assert (response.status_code, response.url) == (302, reverse("blocs:login"))
    assert client.get(reverse("blocs:home")).url.startswith(reverse("blocs:login"))


def test_demo_users_log_in_with_a_12_character_password_and_are_not_forced_to_change_it(client):
    from django.contrib.auth.password_validation import validate_password

    from blocs.demo import DEMO_PASSWORD, load_demo

    load_demo()
    assert len(DEMO_PASSWORD) >= 12
    assert not User.objects.filter(must_change_password=True).exists()
    for username in ["canbo.angiang", "khoitruong", "thanhvien"]:
        user = User.objects.get(username=username)
        validate_password(DEMO_PASSWORD, user)  # the demo password meets the policy it skips
        client.logout()
        assert client.post(reverse("blocs:login"), {"username": username, "password": DEMO_PASSWORD}).status_code == 302
        assert client.get(reverse("blocs:home")).status_code == 200
