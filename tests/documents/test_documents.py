"""The document renderer, number registers and issued documents, proven on the bloc membership list.

PDFs here are real WeasyPrint output; their text is extracted with pdftotext (poppler-utils), normalised
to NFC with white space collapsed, and checked block by block (the state format of Decree 30/2020).
"""

from __future__ import annotations

import hashlib
import re
import shutil
import subprocess
import threading
import time
import unicodedata
from datetime import date
from io import BytesIO

import pytest
from django.core.exceptions import ValidationError
from django.core.files.storage import default_storage
from django.db import connection
from django.http import Http404
from django.template import Context, Template
from django.urls import reverse
from django.utils import translation
from pypdf import PdfReader

from blocs.models import Bloc
from blocs.printing import membership_list_content, membership_list_subject_key
from blocs.web import pdf_response, stored_file_response, xlsx_response
from documents.models import DocumentCounter, IssuedDocument
from documents.render import (
    BASE_URL,
    _local_fetcher_class,
    content_pdf,
    date_line,
    date_words,
    document_fonts,
)
from documents.services import (
    DocumentRenderError,
    DocumentSpec,
    _document_issue,  # the numbering itself, under test here
    document_number_correct,
    issuer_key,
    issuer_parse,
    number_format,
    number_next,
    number_peek,
)

from ..conftest import YEAR
from ..factories import BlocFactory, MembershipFactory, UnitFactory
from ..roles import CONFIRMED, FORBIDDEN, READERS, REDIRECT, check_get, expect

pytestmark = pytest.mark.skipif(shutil.which("pdftotext") is None, reason="needs pdftotext (poppler-utils)")


# The spec these tests issue unless they say otherwise: a list ("DS") of bloc 7 for 2021.
SPEC = dict(issuer="bloc:7", issuer_code="KTĐ6", doc_type="DS", year=2021, title="x", subject_key="k")


def document_issue(*, by, holder=None, render=None, **spec) -> IssuedDocument:
    """The numbering with the fields of its ``DocumentSpec`` as keywords, as these tests read best: those
    not given are ``SPEC``'s, and the PDF is ``fake_pdf``'s unless ``render`` says otherwise."""
    spec = {**SPEC, **spec, "render": render or fake_pdf}
    return _document_issue(spec=DocumentSpec(**spec), by=by, holder=holder)


ISSUE_DAY = date(2021, 2, 2)  # An Giang's conference day; the views see it as "today"
CHAIR_HEAD = "Trần Thị Bích Vân"


# Helpers -------------------------------------------------------------------------------------------


def collapse(text: str) -> str:
    return re.sub(r"\s+", " ", unicodedata.normalize("NFC", text)).strip()


def pdftotext(pdf: bytes, *args: str) -> str:
    result = subprocess.run(["pdftotext", "-enc", "UTF-8", *args, "-", "-"], input=pdf, capture_output=True, check=True)
    return unicodedata.normalize("NFC", result.stdout.decode("utf-8"))


def pdf_text(pdf: bytes) -> str:
    return collapse(pdftotext(pdf))


def top_margin_text(pdf: bytes, page: int) -> str:
    """The text in the top 20 mm (57 pt) of one page: where page numbers go."""
    return collapse(pdftotext(pdf, "-f", str(page), "-l", str(page), "-x", "0", "-y", "0", "-W", "595", "-H", "56"))


def font_names(pdf: bytes) -> dict[str, bool]:
    """Each font used on any page → whether its file is embedded."""
    fonts: dict[str, bool] = {}
    for page in PdfReader(BytesIO(pdf)).pages:
        for font in page["/Resources"]["/Font"].values():
            font = font.get_object()
            descriptor_owner = font["/DescendantFonts"][0].get_object() if "/DescendantFonts" in font else font
            descriptor = descriptor_owner["/FontDescriptor"].get_object()
            embedded = any(key in descriptor for key in ("/FontFile", "/FontFile2", "/FontFile3"))
            fonts[str(font["/BaseFont"])] = embedded
    return fonts


def assert_in_order(text: str, parts: list[str]) -> None:
    """Each part occurs in ``text`` after the previous one (a name may also occur earlier, in a table)."""
    position = 0
    for part in parts:
        assert part in text, f"{part!r} not in the PDF text"
        found = text.find(part, position)
        assert found >= 0, f"{part!r} does not come after {parts[: parts.index(part)]!r}"
        position = found + len(part)


@pytest.fixture
def today(monkeypatch):
    monkeypatch.setattr("django.utils.timezone.localdate", lambda *args, **kwargs: ISSUE_DAY)
    return ISSUE_DAY


@pytest.fixture
def chair_head(units):
    unit = units["chair_unit"]
    unit.head_name = CHAIR_HEAD
    unit.head_title = "Chủ tịch"
    unit.save()
    return unit


def members_pdf_url(bloc, year=YEAR):
    return reverse("blocs:bloc_members_pdf", args=[bloc.pk, year])


def issue_url(bloc, year=YEAR):
    return reverse("blocs:bloc_members_issue", args=[bloc.pk, year])


def fake_pdf(number_text: str) -> bytes:
    return f"%PDF-1.7 fake {number_text}".encode()


# Date lines and numbers ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("place", "day", "expected"),
    [
        ("An Giang", date(2021, 2, 2), "An Giang, ngày 02 tháng 02 năm 2021"),
        ("Bắc Kạn", date(2020, 12, 29), "Bắc Kạn, ngày 29 tháng 12 năm 2020"),
        ("An Giang", date(2021, 3, 5), "An Giang, ngày 05 tháng 3 năm 2021"),
        ("An Giang", date(2021, 1, 15), "An Giang, ngày 15 tháng 01 năm 2021"),
        ("An Giang", date(2021, 10, 1), "An Giang, ngày 01 tháng 10 năm 2021"),
        ("An Giang", date(2021, 11, 30), "An Giang, ngày 30 tháng 11 năm 2021"),
    ],
)
def test_date_line_pads_days_under_10_and_months_1_2(place, day, expected):
    assert date_line(place, day) == expected


def test_date_words_and_template_helpers():
    assert date_words(date(2024, 2, 9)) == "ngày 09 tháng 02 năm 2024"
    rendered = Template("{% load documents %}{% date_line place d %}|{{ d|date_words }}|{{ name|upper_vi }}").render(
        Context({"place": "An Giang", "d": date(2021, 3, 5), "name": "Hội Liên hiệp Phụ nữ tỉnh"})
    )
    assert rendered == "An Giang, ngày 05 tháng 3 năm 2021|ngày 05 tháng 3 năm 2021|HỘI LIÊN HIỆP PHỤ NỮ TỈNH"


@pytest.mark.parametrize(
    ("number", "expected"),
    [(1, "01/DS-KTĐ6"), (9, "09/DS-KTĐ6"), (12, "12/DS-KTĐ6"), (123, "123/DS-KTĐ6"), (None, "…/DS-KTĐ6")],
)
def test_number_format(number, expected):
    assert number_format(number=number, doc_type="DS", issuer_code="KTĐ6") == expected


def test_issuer_keys():
    assert issuer_key("bloc", 12) == "bloc:12"
    assert issuer_parse("bloc:12") == ("bloc", 12)
    assert issuer_parse("council:3") == ("council", 3)
    assert issuer_parse("bloc:") is None
    assert issuer_parse("nonsense") is None


def test_number_next_counts_per_issuer_type_and_calendar_year(db):
    assert number_peek(issuer="bloc:1", doc_type="BB", year=2021) == 1
    assert [number_next(issuer="bloc:1", doc_type="BB", year=2021) for _ in range(3)] == [1, 2, 3]
    assert number_peek(issuer="bloc:1", doc_type="BB", year=2021) == 4
    # Another type, another issuer: their own registers.
    assert number_next(issuer="bloc:1", doc_type="GU", year=2021) == 1
    assert number_next(issuer="bloc:2", doc_type="BB", year=2021) == 1
    assert number_next(issuer="council:1", doc_type="BB", year=2021) == 1
    # A new calendar year starts again at 01.
    assert number_next(issuer="bloc:1", doc_type="BB", year=2022) == 1
    assert number_next(issuer="bloc:1", doc_type="BB", year=2021) == 4
    counter = DocumentCounter.objects.get(issuer="bloc:1", doc_type="BB", year=2021)
    assert counter.last_number == 4
    assert counter.history.count() >= 4  # every number taken is in the history


# Issuing -------------------------------------------------------------------------------------------


def test_document_issue_stores_file_and_checksum(db, users):
    seen: list[str] = []

    def render(number_text: str) -> bytes:
        seen.append(number_text)
        return fake_pdf(number_text)

    kwargs = dict(title="Danh sách", subject_key="k:1")
    first = document_issue(**kwargs, render=render, by=users["chair"])
    second = document_issue(**kwargs, render=render, by=users["officer"])

    assert seen == ["01/DS-KTĐ6", "02/DS-KTĐ6"]
    assert (first.number, first.number_text, second.number) == (1, "01/DS-KTĐ6", 2)
    first.refresh_from_db()
    with first.file.open("rb") as handle:
        content = handle.read()
    assert content == fake_pdf("01/DS-KTĐ6")
    assert first.sha256 == hashlib.sha256(content).hexdigest()
    assert first.file.name.startswith("documents/2021/")
    assert first.issued_by == users["chair"]
    assert first.history.first().history_user == users["chair"]
    assert list(IssuedDocument.objects.for_subject("k:1")) == [second, first]


def test_render_failure_takes_no_number_and_saves_nothing(db, users):
    def broken(number_text: str) -> bytes:
        raise RuntimeError("Pango exploded")

    files_before = default_storage.listdir("documents/2021")[1] if default_storage.exists("documents/2021") else []
    with pytest.raises(DocumentRenderError, match="Pango exploded"):
        document_issue(render=broken, by=users["chair"])
    with pytest.raises(DocumentRenderError):
        document_issue(render=lambda number_text: b"<html>not a pdf</html>", by=users["chair"])
    assert not IssuedDocument.objects.exists()
    assert not DocumentCounter.objects.filter(last_number__gt=0).exists()
    files_after = default_storage.listdir("documents/2021")[1] if default_storage.exists("documents/2021") else []
    assert files_after == files_before
    # The next successful issue still gets 01.
    document = document_issue(by=users["chair"])
    assert document.number_text == "01/DS-KTĐ6"


def test_document_issue_renders_again_when_its_number_is_taken_meanwhile(db, users):
    """Another process takes 01 while ours renders: ours gives 01 back and prints 02."""
    kwargs = dict(doc_type="BB")  # the rest is SPEC
    rendered: list[str] = []

    def racing_render(number_text: str) -> bytes:
        rendered.append(number_text)
        if len(rendered) == 1:
            document_issue(**kwargs, by=None)  # the other process wins 01
        return fake_pdf(number_text)

    document = document_issue(**kwargs, render=racing_render, by=users["chair"])
    assert rendered == ["01/BB-KTĐ6", "02/BB-KTĐ6"]
    assert document.number == 2
    with document.file.open("rb") as handle:
        assert handle.read() == fake_pdf("02/BB-KTĐ6")
    assert DocumentCounter.objects.get(issuer="bloc:7", doc_type="BB", year=2021).last_number == 2


def test_number_correction(db, users):
    first = document_issue(by=users["chair"])
    second = document_issue(by=users["chair"])

    with pytest.raises(ValidationError) as error:
        document_number_correct(document=second, number=1, by=users["officer"], reason="Trùng sổ")
    assert "number" in error.value.message_dict
    with pytest.raises(ValidationError) as error:
        document_number_correct(document=second, number=5, by=users["officer"], reason="  ")
    assert "reason" in error.value.message_dict
    with pytest.raises(ValidationError):
        document_number_correct(document=second, number=0, by=users["officer"], reason="Sai số")
    second.refresh_from_db()
    assert second.number == 2

    old_file = second.file.name
    corrected = document_number_correct(
        document=second, number=5, by=users["officer"], reason="Theo sổ đăng ký văn bản", render=fake_pdf
    )
    corrected.refresh_from_db()
    assert (corrected.number, corrected.number_text) == (5, "05/DS-KTĐ6")
    with corrected.file.open("rb") as handle:
        assert handle.read() == fake_pdf("05/DS-KTĐ6")
    assert default_storage.exists(old_file)  # the history still points at what was issued first
    latest = corrected.history.first()
    assert latest.history_change_reason == "Theo sổ đăng ký văn bản"
    assert latest.history_user == users["officer"]
    # The register continues after the highest number used; 01 is untouched.
    third = document_issue(by=users["chair"])
    assert third.number == 6
    first.refresh_from_db()
    assert first.number == 1


def _in_threads(target, count: int) -> list:
    """Run ``target()`` in ``count`` threads at once, each on its own database connection."""
    results: list = []
    errors: list = []
    barrier = threading.Barrier(count)

    def run():
        try:
            barrier.wait()
            results.append(target())
        except Exception as error:  # reported below
            errors.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=run) for _ in range(count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert not errors, errors
    return results


postgres_only = pytest.mark.skipif(
    connection.vendor != "postgresql", reason="concurrent writers need PostgreSQL (SQLite serialises them)"
)


@postgres_only
@pytest.mark.django_db(transaction=True)
def test_number_next_never_gives_a_number_twice_under_concurrency():
    def take_ten():
        return [number_next(issuer="bloc:9", doc_type="BB", year=2021) for _ in range(10)]

    numbers = [n for batch in _in_threads(take_ten, 4) for n in batch]
    assert sorted(numbers) == list(range(1, 41))


@postgres_only
@pytest.mark.django_db(transaction=True)
def test_concurrent_issues_each_print_their_own_number():
    def slow_render(number_text: str) -> bytes:
        time.sleep(0.2)  # both render with the same would-be number; one must render again
        return fake_pdf(number_text)

    def issue():
        document = document_issue(
            issuer="bloc:9",
            issuer_code="KTĐ6",
            doc_type="BB",
            year=2021,
            title="Biên bản",
            subject_key="k",
            render=slow_render,
            by=None,
        )
        return document.pk

    _in_threads(issue, 3)
    documents = list(IssuedDocument.objects.order_by("number"))
    assert [d.number for d in documents] == [1, 2, 3]
    for document in documents:
        with document.file.open("rb") as handle:
            assert handle.read() == fake_pdf(document.number_text)


# Rendering -----------------------------------------------------------------------------------------


def test_document_fonts_are_liberation_serif_with_vietnamese():
    fonts = document_fonts()
    assert set(fonts) == {"Regular", "Bold", "Italic", "BoldItalic"}, "install fonts-liberation2"
    assert all("LiberationSerif" in path or "Tinos" in path for path in fonts.values())


def test_fetcher_serves_static_files_and_refuses_the_network():
    fetcher = _local_fetcher_class()()
    response = fetcher.fetch(BASE_URL + "static/bootstrap/css/bootstrap.min.css")
    assert response.read(20)
    for url in ("https://example.com/logo.png", "ftp://example.com/x.css", "file:///etc/passwd"):
        with pytest.raises(ValueError):
            fetcher.fetch(url)
    with pytest.raises(ValueError):
        fetcher.fetch(BASE_URL + "static/does-not-exist.css")


def test_membership_list_pdf_blocks(client_as, bloc, seats, chair_head, today):
    response = client_as("member").get(members_pdf_url(bloc))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    pdf = response.content

    raw = pdftotext(pdf)
    # The national title on one line (pdftotext joins it with the issuing body's first line on its row).
    assert any(line.endswith("CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM") for line in raw.splitlines())
    text = collapse(raw)
    assert "Độc lập - Tự do - Hạnh phúc" in text
    assert "Số: …/DS-KTĐ6" in text
    assert "An Giang, ngày 02 tháng 02 năm 2021" in text
    # Decree 30: the direct parent body (the council) above the issuing body (the bloc), nothing above them.
    lines = raw.splitlines()
    assert lines[0].startswith("HỘI ĐỒNG THI ĐUA – KHEN THƯỞNG") and lines[1].startswith("TỈNH AN GIANG")
    assert "UBND TỈNH AN GIANG" not in text
    assert "KHỐI THI ĐUA CÁC TỔ CHỨC CHÍNH TRỊ - XÃ HỘI" in text
    assert_in_order(
        text,
        [
            "DANH SÁCH",
            "Đơn vị thành viên Khối thi đua các tổ chức chính trị - xã hội năm 2021",
            "Ủy ban Mặt trận Tổ quốc Việt Nam tỉnh",
            "Liên đoàn Lao động tỉnh",
            "Hội Liên hiệp Phụ nữ tỉnh",
            "Hội Nông dân tỉnh",
            "Hội Cựu chiến binh tỉnh",
            # Decree 30/2020: the signer's title, the space to sign, the name; no unit or head title between.
            f"TM. KHỐI THI ĐUA KHỐI TRƯỞNG {CHAIR_HEAD}",
        ],
    )
    assert text[text.index("TM. KHỐI THI ĐUA") :] == f"TM. KHỐI THI ĐUA KHỐI TRƯỞNG {CHAIR_HEAD}"
    assert "Sở Nội vụ tỉnh" not in text  # not a member
    # The seats of the year, as the bloc names them.
    content = membership_list_content(bloc=bloc, year=YEAR, today=ISSUE_DAY)
    labels = [row[2] for row in content.blocks[0].rows]
    with translation.override("vi"):  # documents print in Vietnamese whatever the interface language
        assert labels == [bloc.seat_label(0, 1), bloc.seat_label(1, 1), "", "", ""]
    # pdftotext joins a word hyphenated at a line end ("vice-chair" → "vicechair"): compare without hyphens.
    assert_in_order(
        text.replace("-", ""),
        [
            f"Ủy ban Mặt trận Tổ quốc Việt Nam tỉnh {labels[0]} {CHAIR_HEAD} Chủ tịch".replace("-", ""),
            f"Liên đoàn Lao động tỉnh {labels[1]} Nguyễn Văn An Giám đốc".replace("-", ""),
        ],
    )

    reader = PdfReader(BytesIO(pdf))
    for page in reader.pages:
        assert abs(float(page.mediabox.width) - 595) <= 1 and abs(float(page.mediabox.height) - 842) <= 1
    fonts = font_names(pdf)
    assert fonts and all(embedded for embedded in fonts.values()), fonts
    assert all("LiberationSerif" in name.replace("-", "") for name in fonts), fonts
    # pypdf reads the same blocks.
    pypdf_text = collapse(" ".join(page.extract_text() for page in reader.pages))
    assert "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM" in pypdf_text
    assert "DỰ THẢO" not in pypdf_text


def test_membership_list_of_a_cluster_signs_as_cluster(client_as, council, users, today):
    cluster = BlocFactory(council=council, name="Cụm thi đua các tỉnh miền Tây", code="CTĐ1", kind=Bloc.Kind.CLUSTER)
    unit = UnitFactory(council=council, name="Tỉnh An Giang", head_name="Lê Văn Hòa", head_title="Chủ tịch UBND tỉnh")
    MembershipFactory(bloc=cluster, unit=unit, first_year=2018)
    cluster.seats.create(year=YEAR, unit=unit, rank=0)
    response = client_as("officer").get(members_pdf_url(cluster))
    text = pdf_text(response.content)
    assert "Số: …/DS-CTĐ1" in text
    # The signer's title, the space to sign, the name: not the unit or its head's title in between.
    assert text[text.index("TM. CỤM THI ĐUA") :] == "TM. CỤM THI ĐUA CỤM TRƯỞNG Lê Văn Hòa"


def test_long_list_runs_over_pages_with_numbers_from_page_2(client_as, bloc, units, seats, today):
    for n in range(35):
        unit = UnitFactory(council=bloc.council, name=f"Sở Thử nghiệm số {n + 1:02d}")
        MembershipFactory(bloc=bloc, unit=unit, first_year=2018, display_order=10 + n)
    pdf = client_as("officer").get(members_pdf_url(bloc)).content
    pages = len(PdfReader(BytesIO(pdf)).pages)
    assert pages >= 2
    assert top_margin_text(pdf, 1) == ""
    assert top_margin_text(pdf, 2) == "2"
    assert top_margin_text(pdf, pages) == str(pages)
    text = pdf_text(pdf)
    assert_in_order(text, ["Hội Cựu chiến binh tỉnh", "Sở Thử nghiệm số 01", "Sở Thử nghiệm số 35", "TM. KHỐI THI ĐUA"])
    assert "Tổng số: 40 đơn vị." in text


def test_draft_watermark(bloc, seats):
    content = membership_list_content(bloc=bloc, year=YEAR, today=ISSUE_DAY)
    pdf = content_pdf(content, number_text="…/DS-KTĐ6", draft=True)
    # pdftotext leaves out the rotated watermark; pypdf reads it on every page.
    for page in PdfReader(BytesIO(pdf)).pages:
        assert "DỰ THẢO" in collapse(page.extract_text())


# Views and permissions -----------------------------------------------------------------------------


PRINT_EXPECTED = READERS
ISSUE_EXPECTED = expect(
    member=FORBIDDEN, vice_chair=REDIRECT, chair=REDIRECT, officer=REDIRECT
)  # issued: back to the page


@pytest.mark.parametrize("role", list(PRINT_EXPECTED))
def test_membership_list_pdf_roles(client_as, bloc, seats, role, today):
    response = check_get(client_as(role), members_pdf_url(bloc), PRINT_EXPECTED, role)
    if response.status_code == 200:
        assert response.content.startswith(b"%PDF")


def test_membership_list_pdf_is_get_only(client_as, bloc, seats):
    assert client_as("officer").post(members_pdf_url(bloc)).status_code == 405


@pytest.mark.parametrize("role", list(ISSUE_EXPECTED))
def test_membership_list_issue_roles(client_as, bloc, seats, role, today):
    response = client_as(role).post(issue_url(bloc), CONFIRMED)
    assert response.status_code == ISSUE_EXPECTED[role]
    if role == "anonymous":
        assert reverse("blocs:login") in response["Location"]
        assert not IssuedDocument.objects.exists()
    elif response.status_code == 302:
        assert response["Location"] == reverse("blocs:bloc_detail", args=[bloc.pk]) + f"?year={YEAR}"
        document = IssuedDocument.objects.get()
        assert document.number_text == "01/DS-KTĐ6"
        assert document.issuer == f"bloc:{bloc.pk}"
        assert document.year == ISSUE_DAY.year
        assert document.subject_key == membership_list_subject_key(bloc, YEAR)
        with document.file.open("rb") as handle:
            pdf = handle.read()
        assert document.sha256 == hashlib.sha256(pdf).hexdigest()
        assert "Số: 01/DS-KTĐ6" in pdf_text(pdf)
    else:
        assert not IssuedDocument.objects.exists()


def test_membership_list_issue_asks_first_and_numbers_in_sequence(client_as, bloc, seats, today):
    client = client_as("chair")
    # A GET, or a POST without the confirmation, shows what will happen and takes nothing.
    for response in (client.get(issue_url(bloc)), client.post(issue_url(bloc))):
        assert response.status_code == 200
        assert "01/DS-KTĐ6" in response.content.decode()
    assert not IssuedDocument.objects.exists()
    client.post(issue_url(bloc), CONFIRMED)
    # The same list again (a double click, or a later click with nothing changed) takes no new number …
    response = client.post(issue_url(bloc), CONFIRMED, follow=False)
    assert response.status_code == 302
    assert IssuedDocument.objects.count() == 1
    # … a list whose content changed is a new numbered copy.
    seats[0].unit.head_name = "Nguyễn Văn Mới"
    seats[0].unit.save()
    client.post(issue_url(bloc), CONFIRMED)
    assert list(IssuedDocument.objects.order_by("number").values_list("number_text", flat=True)) == [
        "01/DS-KTĐ6",
        "02/DS-KTĐ6",
    ]


def test_membership_list_issue_render_failure_shows_error(client_as, bloc, seats, today, monkeypatch):
    def broken(*args, **kwargs):
        raise OSError("no fonts")

    monkeypatch.setattr("blocs.print_views.content_pdf", broken)
    response = client_as("chair").post(issue_url(bloc), CONFIRMED, follow=True)
    assert response.redirect_chain[0][1] == 302
    assert [m.level_tag for m in response.context["messages"]] == ["error"]
    assert not IssuedDocument.objects.exists()
    assert not DocumentCounter.objects.filter(last_number__gt=0).exists()


def _issued(issuer: str, subject_key: str = "k") -> IssuedDocument:
    return document_issue(issuer=issuer, title="Danh sách", subject_key=subject_key, by=None)


DOWNLOAD_BLOC_EXPECTED = READERS
DOWNLOAD_COUNCIL_EXPECTED = expect()  # a council document: its officers only


@pytest.mark.parametrize("role", list(DOWNLOAD_BLOC_EXPECTED))
def test_download_of_a_bloc_document(client_as, bloc, seats, role):
    # A bloc's document is read by the readers of its subject's year (tests/security/test_years.py).
    document = _issued(f"bloc:{bloc.pk}", subject_key=membership_list_subject_key(bloc, 2021))
    response = client_as(role).get(reverse("blocs:issued_document_download", args=[document.pk]))
    assert response.status_code == DOWNLOAD_BLOC_EXPECTED[role]
    if response.status_code == 200:
        assert b"".join(response.streaming_content) == fake_pdf("01/DS-KTĐ6")
        assert response["Content-Type"] == "application/pdf"


@pytest.mark.parametrize("role", list(DOWNLOAD_COUNCIL_EXPECTED))
def test_download_of_a_council_document(client_as, council, users, role):
    document = _issued(f"council:{council.pk}")
    response = client_as(role).get(reverse("blocs:issued_document_download", args=[document.pk]))
    assert response.status_code == DOWNLOAD_COUNCIL_EXPECTED[role]


def test_download_of_unknown_issuer_or_document_is_404(client_as, users):
    document = _issued("meeting:1")
    client = client_as("officer")
    assert client.get(reverse("blocs:issued_document_download", args=[document.pk])).status_code == 404
    assert client.get(reverse("blocs:issued_document_download", args=[document.pk + 1000])).status_code == 404


def test_a_made_file_is_sent_under_its_name_and_a_lost_stored_one_is_a_404(bloc):
    preview = pdf_response(b"%PDF-", filename="DS-KTD6-2021.pdf")
    assert (preview["Content-Type"], preview["Content-Disposition"]) == (
        "application/pdf",
        'inline; filename="DS-KTD6-2021.pdf"',
    )
    export = xlsx_response(b"PK", filename="Khối 6.xlsx")  # a name outside ASCII is sent encoded, never broken
    assert export["Content-Disposition"] == "attachment; filename*=utf-8''Kh%E1%BB%91i%206.xlsx"
    document = IssuedDocument(file="documents/gone.pdf")
    with pytest.raises(Http404):
        stored_file_response(document.file, filename="gone.pdf")
