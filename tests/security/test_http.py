"""HTTP hardening: request bodies are bounded before anything reads them, failed logins are throttled per
client behind a reverse proxy, downloaded files are never cached, HSTS preload follows its max-age, and
every error page (400, 403, 404, 413, 500, 503) is Vietnamese, the 500 and 503 even with the database down.

The access rule (docs/domain.md, "Who may do what"): anonymous users are sent to the login page, whose
form is the only one they may post.
"""

from __future__ import annotations

import http.client
import json
import os
import subprocess
import sys
from pathlib import Path
from unittest import mock
from urllib.parse import urlsplit

import pytest
from django.conf import settings
from django.contrib.auth import SESSION_KEY
from django.core.exceptions import PermissionDenied, SuspiciousOperation
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import OperationalError, connection
from django.http import Http404
from django.middleware.csrf import CsrfViewMiddleware
from django.template import loader
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, include, path, reverse

import config.urls
from awards import services as awards_services
from blocs.client_address import client_ip
from documents.models import FileJob
from meetings import services as meetings_services
from pledges import services as pledges_services
from pledges.scoring import services as scoring_services

from ..conftest import PASSWORD, YEAR
from ..fixtures.jobs import job_file
from ..fixtures.meetings import PDF
from ..fixtures.pledges import make_draft
from ..fixtures.scoring import build_table
from ..roles import CONFIRMED

ROOT = Path(__file__).resolve().parents[2]
MB = 1024 * 1024


def media_files() -> set[str]:
    return {str(p) for p in Path(settings.MEDIA_ROOT).rglob("*") if p.is_file()}


@pytest.fixture
def csrf_calls(monkeypatch):
    """Every call of the CSRF check, which parses a form body to find its token."""
    calls = []
    original = CsrfViewMiddleware.process_view

    def spy(self, request, *args, **kwargs):
        calls.append(request.path)
        return original(self, request, *args, **kwargs)

    monkeypatch.setattr(CsrfViewMiddleware, "process_view", spy)
    return calls


def declared_post(client, url: str, length: int | str, *, body: bytes = b"--x--\r\n", **extra):
    """A POST that declares ``length`` bytes but carries only ``body``: the test client's payload raises
    if anything tries to read past what was sent, so a response proves nobody read the body."""
    return client.generic(
        "POST", url, body, content_type="multipart/form-data; boundary=x", CONTENT_LENGTH=str(length), **extra
    )


# Request bodies ------------------------------------------------------------------------------------


@pytest.mark.django_db
def test_an_anonymous_upload_is_sent_to_login_before_csrf_or_the_view_reads_it(client, csrf_calls):
    before = media_files()
    url = reverse("pledges:pledge_scan_upload", args=[1, 1])
    response = declared_post(Client(enforce_csrf_checks=True), url, 300 * MB)
    assert response.status_code == 302
    assert response.url.startswith(reverse("blocs:login"))
    assert csrf_calls == []
    assert media_files() == before


@pytest.mark.django_db
def test_an_anonymous_small_post_to_a_page_behind_login_is_refused_too(client, csrf_calls):
    response = client.post(reverse("blocs:unit_create"), {"code": "X", "name": "Đơn vị"})
    assert response.status_code == 302
    assert response.url.startswith(reverse("blocs:login"))
    assert csrf_calls == []


def test_a_logged_in_body_over_the_upload_limit_gets_the_vietnamese_413(client_as, csrf_calls):
    before = media_files()
    limit = settings.UPLOAD_MAX_BYTES + settings.DATA_UPLOAD_MAX_MEMORY_SIZE
    response = declared_post(client_as("chair"), reverse("pledges:pledge_scan_upload", args=[1, 1]), limit + 1)
    assert response.status_code == 413
    page = response.content.decode()
    assert "Tệp quá lớn" in page
    assert "20,0\xa0MB" in page or "20,0 MB" in page
    assert csrf_calls == []
    assert media_files() == before


def test_a_logged_in_body_within_the_limit_reaches_the_form(client_as, settings):
    settings.UPLOAD_MAX_BYTES = 100
    response = client_as("officer").post(
        reverse("blocs:units_import"), {"file": SimpleUploadedFile("don-vi.xlsx", b"x" * 200)}
    )
    # The import page itself says the file is too large: the body limit leaves room for that answer.
    assert response.status_code == 200
    assert "blocs/excel_import.html" in [t.name for t in response.templates]
    assert "100\xa0byte" in response.content.decode()


@pytest.mark.django_db
def test_the_login_form_is_the_anonymous_post_that_passes(client, users):
    response = client.post(reverse("blocs:login"), {"username": "chair", "password": PASSWORD})
    assert response.status_code == 302
    assert client.session[SESSION_KEY] == str(users["chair"].pk)


@pytest.mark.django_db
def test_an_anonymous_body_larger_than_a_login_form_is_refused(client, csrf_calls):
    response = declared_post(client, reverse("blocs:login"), 1 * MB)
    assert response.status_code == 413
    assert csrf_calls == []


def test_the_pages_without_login_that_take_a_post_are_the_login_forms():
    """The body limit lets anonymous posts reach only these: a new page without login that takes a form
    must be added here on purpose (and no language switch is reachable anonymously). The login forms are
    the login itself and the password reset's request and new password (its "sent" and "done" pages only
    show a text). ``healthz``, ``favicon.ico`` (a redirect to the static icon) and the calendar feed (read
    by its secret token, tests/blocs/test_calendar.py) are the only pages without login besides them, and
    they answer GET and HEAD only (tests/security/test_healthz.py, tests/test_favicon.py)."""
    found = set()

    def walk_patterns(patterns, prefix=""):
        for entry in patterns:
            if isinstance(entry, URLResolver):
                walk_patterns(entry.url_patterns, prefix + str(entry.pattern))
            elif isinstance(entry, URLPattern) and getattr(entry.callback, "login_required", True) is False:
                found.add(prefix + str(entry.pattern))

    walk_patterns(get_resolver().url_patterns)
    assert found == {
        "accounts/login/",
        "accounts/reset/",
        "accounts/reset/sent/",
        "accounts/reset/<uidb64>/<token>/",
        "accounts/reset/done/",
        "admin/login/",
        "healthz",
        "favicon.ico",
        "calendar/feed/<str:token>.ics",
    }


@pytest.mark.django_db
def test_the_calendar_feed_answers_get_and_head_only(client, users):
    from blocs.services import calendar_feed_for

    url = reverse("blocs:calendar_feed", args=[calendar_feed_for(users["member"]).token])
    assert client.head(url).status_code == 200
    assert client.post(url).status_code == 405


@pytest.mark.django_db
def test_a_body_without_a_length_is_refused_unread(client, csrf_calls):
    response = client.generic(
        "POST", reverse("blocs:login"), b"", content_type="text/plain", HTTP_TRANSFER_ENCODING="chunked"
    )
    assert response.status_code == 411
    assert csrf_calls == []


@pytest.mark.django_db
def test_a_malformed_length_is_a_bad_request(client, csrf_calls):
    response = declared_post(client, reverse("blocs:login"), "12abc")
    assert response.status_code == 400
    assert "Yêu cầu không hợp lệ" in response.content.decode()


def test_over_a_socket_the_server_answers_413_without_waiting_for_the_body(live_server, client, users):
    client.force_login(users["chair"])
    session = client.cookies[settings.SESSION_COOKIE_NAME].value
    address = urlsplit(live_server.url)
    conn = http.client.HTTPConnection(address.hostname, address.port, timeout=20)
    try:
        conn.putrequest("POST", reverse("pledges:pledge_scan_upload", args=[1, 1]))
        conn.putheader("Content-Type", "multipart/form-data; boundary=x")
        conn.putheader("Content-Length", str(300 * MB))
        conn.putheader("Cookie", f"{settings.SESSION_COOKIE_NAME}={session}")
        conn.endheaders()
        for _chunk in range(4):
            conn.send(b"x" * 16 * 1024)
        # 64 KB of the 300 MB are sent: the answer comes now, without the rest.
        response = conn.getresponse()
        assert response.status == 413
        assert "Tệp quá lớn" in response.read().decode()
    finally:
        conn.close()


# Login throttling behind a reverse proxy -----------------------------------------------------------


def login(client, password, *, remote="10.0.0.1", forwarded=None):
    extra = {"REMOTE_ADDR": remote}
    if forwarded:
        extra["HTTP_X_FORWARDED_FOR"] = forwarded
    return client.post(reverse("blocs:login"), {"username": "chair", "password": password}, **extra)


def fail_until_locked(client, **where):
    for _attempt in range(settings.AXES_FAILURE_LIMIT):
        login(client, "sai-mat-khau", **where)
    assert login(client, PASSWORD, **where).status_code == 429


@pytest.mark.django_db
def test_behind_one_proxy_a_locked_client_does_not_lock_out_another(settings, users):
    settings.TRUSTED_PROXY_COUNT = 1
    fail_until_locked(Client(), forwarded="203.0.113.5")
    other = Client()
    response = login(other, PASSWORD, forwarded="198.51.100.7")
    assert response.status_code == 302
    assert other.session[SESSION_KEY] == str(users["chair"].pk)


@pytest.mark.django_db
def test_behind_one_proxy_the_address_a_client_adds_itself_does_not_unlock_it(settings, users):
    settings.TRUSTED_PROXY_COUNT = 1
    fail_until_locked(Client(), forwarded="203.0.113.5")
    # The proxy appends what it saw; whatever the client put before it is not the client's address.
    assert login(Client(), PASSWORD, forwarded="198.51.100.7, 203.0.113.5").status_code == 429


@pytest.mark.django_db
def test_without_a_proxy_a_spoofed_forwarded_address_does_not_bypass_the_lock(settings, users):
    settings.TRUSTED_PROXY_COUNT = 0
    fail_until_locked(Client(), forwarded="203.0.113.5")
    assert login(Client(), PASSWORD, forwarded="198.51.100.7").status_code == 429


class FakeRequest:
    def __init__(self, remote, forwarded=None):
        self.META = {"REMOTE_ADDR": remote}
        if forwarded is not None:
            self.META["HTTP_X_FORWARDED_FOR"] = forwarded


@pytest.mark.parametrize(
    ("count", "forwarded", "expected"),
    [
        (0, "203.0.113.5", "10.0.0.1"),
        (1, "203.0.113.5", "203.0.113.5"),
        (1, "198.51.100.7, 203.0.113.5", "203.0.113.5"),
        (2, "198.51.100.7, 203.0.113.5, 10.0.0.9", "203.0.113.5"),
        (2, "203.0.113.5", "10.0.0.1"),  # fewer hops than proxies: not through them all, use the peer
        (1, None, "10.0.0.1"),
        (1, "not-an-address", "10.0.0.1"),
        (1, "2001:db8::1", "2001:db8::1"),
    ],
)
def test_the_client_address_is_the_nth_forwarded_from_the_right(settings, count, forwarded, expected):
    settings.TRUSTED_PROXY_COUNT = count
    assert client_ip(FakeRequest("10.0.0.1", forwarded)) == expected


# Downloads are never cached ------------------------------------------------------------------------

FILE_SUFFIXES = (".pdf", ".docx", ".xlsx")
FILE_WORDS = ("pdf", "docx", "xlsx", "download", "report", "template", "export")


def download_url_names(urlconf=None) -> set[str]:
    """Every URL whose route or name says it serves a file, by its full name as reverse() takes it
    (namespaces nested as "outer:inner:name")."""
    names = set()

    def walk_patterns(patterns, namespace=""):
        for entry in patterns:
            if isinstance(entry, URLResolver):
                walk_patterns(entry.url_patterns, f"{namespace}{entry.namespace}:" if entry.namespace else namespace)
            elif entry.name and (
                str(entry.pattern).endswith(FILE_SUFFIXES) or any(word in entry.name for word in FILE_WORDS)
            ):
                names.add(namespace + entry.name)

    walk_patterns(get_resolver(urlconf).url_patterns)
    return {name for name in names if not name.startswith("admin:")}


def a_file(request):
    raise Http404


class WithNewDownloads:
    """The portal's URLconf and two new file URLs in a nested namespace: one known by its route's suffix,
    one by its name."""

    inner = ([path("word.docx", a_file, name="minutes_word"), path("x/", a_file, name="x_pdf")], "in")
    urlpatterns = [*config.urls.urlpatterns, path("new/", include(([path("", include(inner))], "out")))]


def test_the_download_list_sees_a_new_file_url_by_its_full_name():
    found = download_url_names(WithNewDownloads)
    assert found - download_url_names() == {"out:in:minutes_word", "out:in:x_pdf"}


def job_file_made(client_as) -> int:
    """The award list made by a background job, as the officer asks for it; its id."""
    job_file(client_as("officer"), "awards:award_list_pdf", {"year": YEAR})
    return FileJob.objects.latest("pk").pk


@pytest.fixture
def downloads(bloc, units, seats, users, heads, meeting, record, proposal, walk, client_as):
    """One URL per file the portal serves, each with an object to serve."""
    record()
    minutes = meetings_services.minutes_finalise(meeting=meeting, by=users["chair"], issue_pdf=False)
    minutes_scan = meetings_services.minutes_scan_upload(
        version=minutes, file=SimpleUploadedFile("bien-ban.pdf", PDF), by=users["chair"]
    )
    pledge = make_draft(bloc, year=YEAR + 2, by=users["officer"])
    pledge_signing = pledges_services.pledge_signing_open(version=pledge, by=users["officer"])
    pledge_scan = pledges_services.pledge_scan_upload(
        version=pledge_signing, file=SimpleUploadedFile("giao-uoc.pdf", PDF), by=users["officer"]
    )
    report = proposal("LHPN")
    submitted = awards_services.proposal_reason_set(
        proposal=proposal("HND"), key="registration", reason="Đăng ký bổ sung.", by=None
    )
    submission = walk.submit(submitted)
    client_as("officer").post(reverse("blocs:bloc_members_issue", args=[bloc.pk, YEAR]), CONFIRMED)
    from documents.models import IssuedDocument

    document = IssuedDocument.objects.filter(issuer__startswith="bloc").latest("pk")
    scoring_table = build_table(bloc, YEAR + 1)
    scoring_services.ranking_enter_directly(
        bloc=bloc, year=YEAR, entries=[scoring_services.DirectEntry(units["chair_unit"].pk, 1)], by=users["officer"]
    )
    return {
        "blocs:bloc_members_pdf": reverse("blocs:bloc_members_pdf", args=[bloc.pk, YEAR]),
        "blocs:bloc_members_docx": reverse("blocs:bloc_members_docx", args=[bloc.pk, YEAR]),
        "blocs:issued_document_download": reverse("blocs:issued_document_download", args=[document.pk]),
        "blocs:units_import_template": reverse("blocs:units_import_template"),
        "blocs:units_export": reverse("blocs:units_export") + "?q=hoi&sort=-name",  # the units list as filtered
        "blocs:council_export": None,  # a POST that starts the export's background job and redirects
        "blocs:council_year_xlsx": reverse("blocs:council_year_xlsx", args=[bloc.council_id, YEAR]),
        "blocs:council_year_pdf": reverse("blocs:council_year_pdf", args=[bloc.council_id, YEAR]),
        "blocs:council_year_docx": reverse("blocs:council_year_docx", args=[bloc.council_id, YEAR]),
        "pledges:pledge_pdf": reverse("pledges:pledge_pdf", args=[pledge.pledge_id, pledge.number]),
        "pledges:pledge_docx": reverse("pledges:pledge_docx", args=[pledge.pledge_id, pledge.number]),
        "pledges:pledge_pdf_issue": None,  # a POST that issues the final PDF and redirects to the pledge page
        "pledges:pledge_scan_download": reverse("pledges:pledge_scan_download", args=[pledge_scan.pk]),
        "scoring:evidence_download": reverse("scoring:evidence_download", args=[score_evidence(bloc, users).pk]),
        "awards:proposal_report": reverse("awards:proposal_report", args=[report.pk]),
        "awards:submission_cover_pdf": reverse("awards:submission_cover_pdf", args=[submission.pk]),
        "awards:submission_preview_pdf": reverse("awards:submission_preview_pdf", args=[bloc.pk, YEAR])
        + f"?proposals={report.pk}",  # the submit step's draft cover letter of the chosen proposals
        "awards:submission_cover_docx": reverse("awards:submission_cover_docx", args=[submission.pk]),
        "awards:submission_preview_docx": reverse("awards:submission_preview_docx", args=[bloc.pk, YEAR])
        + f"?proposals={report.pk}",
        "awards:external_import_template": reverse("awards:external_import_template"),
        "awards:award_list_xlsx": reverse("awards:award_list_xlsx") + f"?year={YEAR}",
        "awards:award_list_pdf": None,  # a POST that starts the list's background job and redirects
        "awards:award_list_docx": None,  # the same, for the list's Word file
        "blocs:file_job_download": reverse("blocs:file_job_download", args=[job_file_made(client_as)]),
        "meetings:minutes_pdf": reverse("meetings:minutes_pdf", args=[meeting.pk, minutes.number]),
        "meetings:minutes_docx": reverse("meetings:minutes_docx", args=[meeting.pk, minutes.number]),
        "meetings:minutes_pdf_retry": None,  # a POST that makes the PDF again and redirects
        "meetings:minutes_scan_download": reverse("meetings:minutes_scan_download", args=[minutes_scan.pk]),
        "meetings:news_pdf": reverse("meetings:news_pdf", args=[meeting.pk]),
        "meetings:news_docx": reverse("meetings:news_docx", args=[meeting.pk]),
        "scoring:table_xlsx": reverse("scoring:table_xlsx", args=[scoring_table.pk]),
        "scoring:ranking_xlsx": reverse("scoring:ranking_xlsx", args=[bloc.pk, YEAR]),
        "scoring:ranking_pdf": reverse("scoring:ranking_pdf", args=[bloc.pk, YEAR]),
        "scoring:ranking_docx": reverse("scoring:ranking_docx", args=[bloc.pk, YEAR]),
    }


def score_evidence(bloc, users):
    """Evidence of a self score: the year's table opened and a file attached to the member's sheet."""
    from pledges.scoring.models import ScoreSheet
    from pledges.scoring.selectors import sheet_criteria
    from pledges.scoring.services import score_evidence_attach, scoring_open
    from tests.fixtures.scoring import build_table

    table = scoring_open(table=build_table(bloc, YEAR + 2, users["officer"]), by=users["officer"])
    sheet = ScoreSheet.objects.get(table=table, unit=users["member"].unit)
    return score_evidence_attach(
        sheet=sheet, criterion=sheet_criteria(table)[0], file=SimpleUploadedFile("mc.pdf", PDF), by=users["member"]
    )


def test_every_download_is_private_and_never_stored(client_as, downloads):
    in_urlconf = download_url_names()
    assert not in_urlconf - set(downloads), "a new download URL: add it to the downloads fixture"
    assert not set(downloads) - in_urlconf, "the downloads fixture names a URL the URLconf no longer has"
    client = client_as("officer")
    served = {}
    for name, url in downloads.items():
        if url is None:
            continue
        response = client.get(url)
        assert response.status_code == 200, name
        assert not response["Content-Type"].startswith("text/html"), name
        served[name] = response.get("Cache-Control", "")
        if response.streaming:
            b"".join(response.streaming_content)
    not_private = {name: value for name, value in served.items() if {"private", "no-store"} - directives(value)}
    assert not not_private


def directives(cache_control: str) -> set[str]:
    return {part.strip().split("=")[0] for part in cache_control.split(",") if part.strip()}


def test_pages_keep_their_caching_headers(client_as):
    response = client_as("officer").get(reverse("blocs:home"))
    assert "no-store" not in response.get("Cache-Control", "")


# HSTS ----------------------------------------------------------------------------------------------

ONE_YEAR = 365 * 24 * 60 * 60


def production_settings(**env: str) -> dict:
    """The production settings computed from ``env`` in a fresh interpreter (importing them here would
    change this process's shared settings dictionaries)."""
    environment = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith(("DJANGO_SECURE_HSTS", "CONN_")) and key != "DATABASE_URL"
    }
    environment |= {"DJANGO_SECRET_KEY": "k" * 50, "DJANGO_ALLOWED_HOSTS": "thidua.example.gov.vn", **env}
    code = (
        "import json, config.settings.production as s;"
        "print(json.dumps({'seconds': s.SECURE_HSTS_SECONDS, 'preload': s.SECURE_HSTS_PRELOAD,"
        " 'subdomains': s.SECURE_HSTS_INCLUDE_SUBDOMAINS, 'silenced': getattr(s, 'SILENCED_SYSTEM_CHECKS', []),"
        " 'db': {k: s.DATABASES['default'].get(k) for k in ('CONN_MAX_AGE', 'CONN_HEALTH_CHECKS')}}))"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, env=environment, capture_output=True, text=True, timeout=60
    )
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout)


def test_hsts_preload_is_off_with_the_default_30_day_max_age():
    values = production_settings()
    assert values["seconds"] == 30 * 24 * 60 * 60
    assert values["preload"] is False
    # The deploy check's "preload is off" warning is then the intended state.
    assert "security.W021" in values["silenced"]


def test_hsts_preload_turns_on_by_itself_at_one_year():
    values = production_settings(DJANGO_SECURE_HSTS_SECONDS=str(ONE_YEAR))
    assert values["preload"] is True
    assert values["subdomains"] is True
    assert "security.W021" not in values["silenced"]


def test_hsts_preload_may_be_turned_off_but_never_on_below_a_year():
    off = production_settings(DJANGO_SECURE_HSTS_SECONDS=str(2 * ONE_YEAR), DJANGO_SECURE_HSTS_PRELOAD="off")
    assert off["preload"] is False
    short = production_settings(DJANGO_SECURE_HSTS_SECONDS=str(ONE_YEAR - 1), DJANGO_SECURE_HSTS_PRELOAD="on")
    assert short["preload"] is False


def test_persistent_database_connections_are_checked_before_reuse():
    assert production_settings()["db"] == {"CONN_MAX_AGE": 60, "CONN_HEALTH_CHECKS": True}


# Error pages ---------------------------------------------------------------------------------------


def raise_permission_denied(request):
    raise PermissionDenied


def raise_suspicious(request):
    raise SuspiciousOperation("bad")


def raise_not_found(request):
    raise Http404


def raise_error(request):
    raise RuntimeError("boom")


def raise_database_down(request):
    raise OperationalError("connection to server at 127.0.0.1, port 5432 failed")


urlpatterns = [
    path("test-errors/403/", raise_permission_denied),
    path("test-errors/400/", raise_suspicious),
    path("test-errors/404/", raise_not_found),
    path("test-errors/500/", raise_error),
    path("test-errors/503/", raise_database_down),
    *config.urls.urlpatterns,
]
handler500 = config.urls.handler500

ERROR_PAGES = [
    ("400", 400, "Yêu cầu không hợp lệ"),
    ("403", 403, "Không có quyền truy cập"),
    ("404", 404, "Không tìm thấy trang"),
    ("500", 500, "Lỗi hệ thống"),
    ("503", 503, "Hệ thống tạm thời gián đoạn"),
]


@pytest.mark.urls(__name__)
@pytest.mark.parametrize(("code", "status", "heading"), ERROR_PAGES, ids=[row[0] for row in ERROR_PAGES])
def test_error_pages_are_vietnamese_with_debug_off(settings, client_as, code, status, heading):
    settings.DEBUG = False
    client = client_as("member")
    client.raise_request_exception = False
    response = client.get(f"/test-errors/{code}/")
    assert response.status_code == status
    page = response.content.decode()
    assert heading in page
    assert 'lang="vi"' in page
    assert "/static/css/portal.css" in page
    assert reverse("blocs:home") in page


def test_an_unknown_address_gets_the_vietnamese_404(client_as):
    response = client_as("member").get("/khong-co-trang-nay/")
    assert response.status_code == 404
    assert "Không tìm thấy trang" in response.content.decode()


@pytest.mark.django_db
def test_an_expired_form_gets_the_vietnamese_csrf_page(users):
    client = Client(enforce_csrf_checks=True)
    response = client.post(reverse("blocs:login"), {"username": "chair", "password": PASSWORD})
    assert response.status_code == 403
    assert "Biểu mẫu đã hết hạn" in response.content.decode()


def test_the_500_and_503_pages_render_without_a_request_or_the_database():
    """Django renders 500.html with no context at all; nothing in it may need the database."""
    with mock.patch.object(connection, "ensure_connection", unreachable):
        for name, heading in (("500.html", "Lỗi hệ thống"), ("503.html", "Hệ thống tạm thời gián đoạn")):
            page = loader.get_template(name).render()
            assert heading in page
            assert 'lang="vi"' in page


# Database outages ----------------------------------------------------------------------------------


def unreachable(*args, **kwargs):
    raise OperationalError('connection to server at "127.0.0.1", port 5432 failed: Connection refused')


@pytest.mark.parametrize("role", ["chair", "anonymous"])
def test_with_the_database_unreachable_users_get_the_vietnamese_503(client_as, role):
    client = client_as(role)
    client.raise_request_exception = False
    # Patched only around the request: the test's own transaction is rolled back afterwards.
    with mock.patch.object(connection, "ensure_connection", unreachable):
        if role == "anonymous":  # the login page itself needs no database; logging in does
            response = client.post(reverse("blocs:login"), {"username": "chair", "password": PASSWORD})
        else:
            response = client.get(reverse("blocs:home"))
    assert response.status_code == 503
    page = response.content.decode()
    assert "Hệ thống tạm thời gián đoạn" in page
    assert response["Retry-After"]
