"""Excel bombs: an uploaded workbook cannot make an import read much more than the largest legitimate sheet.

Every bomb is built here, small on disk: a huge shared-strings table, millions of blank rows, a jump in row
numbers, a zip member that inflates far past the upload, too many sheets, cells or cell formats. Each is
refused on both import pages (units and memberships; awards decided outside the portal) with one
Vietnamese message, nothing is written, and the instruments below show how much was read before the
refusal: bytes inflated from the archive, rows openpyxl walked, workbooks openpyxl opened and what
``blocs.excel.workbook_check`` counted. The tests bound those amounts, never a time.
"""

import functools
import io
import re
import struct
import zipfile
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field

import openpyxl
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from openpyxl.worksheet._read_only import ReadOnlyWorksheet

from awards import excel as awards_excel
from awards.models import Proposal
from blocs import excel
from blocs.models import Membership, Unit

pytestmark = pytest.mark.django_db

MAIN = b"http://schemas.openxmlformats.org/spreadsheetml/2006/main"
SHARED_STRINGS_TYPE = b"application/vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"
RELATIONSHIPS = b"http://schemas.openxmlformats.org/officeDocument/2006/relationships"
MiB = 1024 * 1024


# ----------------------------------------------------------------------------------------------------
# Instruments: how much of an upload was read
# ----------------------------------------------------------------------------------------------------


@dataclass
class Reading:
    inflated: int = 0  # bytes any zip member gave out, to the guard and to openpyxl alike
    rows_walked: int = 0  # rows a read-only sheet yielded, blank and missing ones included
    opened: int = 0  # workbooks openpyxl was asked to open
    checks: list = field(default_factory=list)  # what blocs.excel.workbook_check reported


@pytest.fixture
def reading(monkeypatch) -> Reading:
    reading = Reading()
    for page in (UNITS, AWARDS):  # the bombs' frames are read before counting starts: only uploads count
        frame(page.headers)
    # ZipExtFile._read1 is where zipfile inflates; read(), read1() and peek() all take their bytes from it.
    inflate = zipfile.ZipExtFile._read1

    def counted_inflate(self, n):
        data = inflate(self, n)
        reading.inflated += len(data)
        return data

    walk = ReadOnlyWorksheet._cells_by_row

    def counted_walk(self, *args, **kwargs):
        for row in walk(self, *args, **kwargs):
            reading.rows_walked += 1
            yield row

    load = openpyxl.load_workbook

    def counted_load(*args, **kwargs):
        reading.opened += 1
        return load(*args, **kwargs)

    monkeypatch.setattr(zipfile.ZipExtFile, "_read1", counted_inflate)
    monkeypatch.setattr(ReadOnlyWorksheet, "_cells_by_row", counted_walk)
    monkeypatch.setattr(openpyxl, "load_workbook", counted_load)
    check = excel.workbook_check

    def recorded_check(file):
        result = check(file)
        reading.checks.append(result)
        return result

    monkeypatch.setattr(excel, "workbook_check", recorded_check)
    return reading


# ----------------------------------------------------------------------------------------------------
# Building workbooks part by part
# ----------------------------------------------------------------------------------------------------

Part = bytes | Iterable[bytes]


@functools.cache
def frame(headers: tuple[str, ...]) -> dict[str, bytes]:
    """The parts of a workbook openpyxl writes, whose first sheet holds ``headers``: the bombs replace some."""
    workbook = openpyxl.Workbook()
    workbook.active.append(list(headers))
    buffer = io.BytesIO()
    workbook.save(buffer)
    with zipfile.ZipFile(buffer) as archive:
        return {name: archive.read(name) for name in archive.namelist()}


def build(headers: tuple[str, ...], parts: dict[str, Part], *, writestr: bool = False) -> bytes:
    """A workbook: ``frame(headers)`` with ``parts`` replaced or added, each streamed into the zip."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, content in {**frame(headers), **parts}.items():
            if writestr:  # sizes in the local headers, no data descriptor: see declare_size
                archive.writestr(name, content if isinstance(content, bytes) else b"".join(content))
                continue
            with archive.open(name, "w") as member:
                for chunk in [content] if isinstance(content, bytes) else content:
                    member.write(chunk)
    return buffer.getvalue()


def inline(text: str) -> bytes:
    escaped = text.replace("&", "&amp;").replace("<", "&lt;").encode()
    return b'<c t="inlineStr"><is><t>' + escaped + b"</t></is></c>"


def header_row(headers: tuple[str, ...]) -> bytes:
    return b'<row r="1">' + b"".join(inline(title) for title in headers) + b"</row>"


def sheet(rows: Iterable[bytes], *, dimension: bytes = b"", prolog: bytes = b"") -> Iterator[bytes]:
    yield b'<?xml version="1.0" encoding="UTF-8"?>' + prolog + b'<worksheet xmlns="' + MAIN + b'">'
    if dimension:
        yield b'<dimension ref="' + dimension + b'"/>'
    yield b"<sheetData>"
    yield from rows
    yield b"</sheetData></worksheet>"


def with_shared_strings(headers: tuple[str, ...], strings: Part, *, sst_attributes: bytes = b"") -> bytes:
    """The header row's titles as shared strings 0.., followed in the table by ``strings``."""
    titles = b"".join(b"<si><t>" + title.encode() + b"</t></si>" for title in headers)
    cells = b"".join(b'<c t="s"><v>%d</v></c>' % index for index in range(len(headers)))
    types = frame(headers)["[Content_Types].xml"].replace(
        b"</Types>", b'<Override PartName="/xl/sharedStrings.xml" ContentType="' + SHARED_STRINGS_TYPE + b'"/></Types>'
    )

    def table() -> Iterator[bytes]:
        yield b'<?xml version="1.0" encoding="UTF-8"?><sst xmlns="' + MAIN + b'" ' + sst_attributes + b">" + titles
        yield from [strings] if isinstance(strings, bytes) else strings
        yield b"</sst>"

    return build(
        headers,
        {
            "[Content_Types].xml": types,
            "xl/worksheets/sheet1.xml": sheet([b'<row r="1">' + cells + b"</row>"]),
            "xl/sharedStrings.xml": table(),
        },
    )


def in_chunks(make, count: int, size: int = 10_000) -> Iterator[bytes]:
    """``make(i)`` for i in 0..count-1, joined 10 000 at a time: millions of elements, little memory."""
    for start in range(0, count, size):
        yield b"".join(make(i) for i in range(start, min(start + size, count)))


def declare_size(content: bytes, name: str, size: int) -> bytes:
    """``content`` with the uncompressed size of member ``name`` rewritten as ``size`` in the archive's
    local and central headers: a member that inflates past what it declares."""
    data = bytearray(content)
    encoded = name.encode()
    local = data.index(b"PK\x03\x04")
    while data[local + 30 : local + 30 + len(encoded)] != encoded:
        local = data.index(b"PK\x03\x04", local + 4)
    struct.pack_into("<I", data, local + 22, size)
    central = data.index(b"PK\x01\x02")
    while data[central + 46 : central + 46 + len(encoded)] != encoded:
        central = data.index(b"PK\x01\x02", central + 4)
    struct.pack_into("<I", data, central + 24, size)
    return bytes(data)


# ----------------------------------------------------------------------------------------------------
# The two import pages
# ----------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class ImportPage:
    url_name: str
    headers: tuple[str, ...]

    def written(self) -> tuple[int, int, int]:
        return Unit.objects.count(), Membership.objects.count(), Proposal.objects.count()


UNITS = ImportPage("blocs:units_import", tuple(c.title for c in excel.COLUMNS))
AWARDS = ImportPage("awards:external_import", tuple(c.title for c in awards_excel.COLUMNS))


@pytest.fixture(params=[UNITS, AWARDS], ids=["units", "awards"])
def page(request) -> ImportPage:
    return request.param


def upload(content: bytes) -> SimpleUploadedFile:
    return SimpleUploadedFile("bom.xlsx", content, content_type=excel.XLSX_CONTENT_TYPE)


def post(client_as, page: ImportPage, content: bytes) -> str:
    """Upload ``content`` on ``page`` as the officer (in Vietnamese, the default) → the page's text."""
    before = page.written()
    response = client_as("officer").post(reverse(page.url_name), {"file": upload(content)})
    assert response.status_code == 200
    assert page.written() == before  # nothing is written
    assert response.context["plan"].issues and not response.context["plan"].is_valid
    return re.sub(r"\s+", " ", response.content.decode())


def only_issue(page: ImportPage, content: bytes, council) -> str:
    """The one problem the page's parse function reports for ``content``."""
    parse = excel.units_import_parse if page is UNITS else awards_excel.external_import_parse
    plan = parse(council=council, file=upload(content))
    assert len(plan.issues) == 1, [i.text for i in plan.issues]
    return plan.issues[0].text


# ----------------------------------------------------------------------------------------------------
# The bombs
# ----------------------------------------------------------------------------------------------------


@functools.cache
def strings_bomb(page: ImportPage) -> bytes:
    """300 000 tiny shared strings (about 800 kB packed), and no count attribute to give them away."""
    return with_shared_strings(page.headers, in_chunks(lambda i: b"<si><t>%d</t></si>" % i, 300_000))


BLANK_ROW = b'<row r="%d"/>'
BLANK_ROWS = 2_000_000


@functools.cache
def blank_rows_bomb(page: ImportPage) -> bytes:
    """The header row and 2 000 000 blank rows written as XML (about 5 MB packed, 35 MB unpacked)."""
    rows = in_chunks(lambda i: BLANK_ROW % (i + 2), BLANK_ROWS)
    return build(page.headers, {"xl/worksheets/sheet1.xml": sheet([header_row(page.headers), *rows])})


def gap_bomb(page: ImportPage) -> bytes:
    """Two rows, numbered 1 and 100 000 000: openpyxl yields every row number in between."""
    last = b'<row r="100000000">' + inline("x") + b"</row>"
    return build(page.headers, {"xl/worksheets/sheet1.xml": sheet([header_row(page.headers), last])})


INFLATED = 100 * MiB


@functools.cache
def zip_bomb(page: ImportPage, size: int = INFLATED) -> bytes:
    """A cell holding ``size`` bytes of zeros: about a thousandth of that packed."""

    def rows() -> Iterator[bytes]:
        yield header_row(page.headers) + b'<row r="2"><c t="inlineStr"><is><t>'
        for _ in range(size // MiB):
            yield b"0" * MiB
        yield b"</t></is></c></row>"

    return build(page.headers, {"xl/worksheets/sheet1.xml": sheet(rows())})


def test_the_bombs_frame_is_a_workbook_the_import_reads(council, bloc):
    """Each bomb is refused for what it holds, not because its frame is broken."""
    row = b'<row r="2">' + inline("SYT") + inline("Sở Y tế tỉnh") + b"</row>"
    content = build(
        ("Mã đơn vị", "Tên đầy đủ"), {"xl/worksheets/sheet1.xml": sheet([header_row(("Mã đơn vị", "Tên đầy đủ")), row])}
    )
    plan = excel.units_import_parse(council=council, file=upload(content))
    assert plan.is_valid, [i.text for i in plan.issues]
    content = with_shared_strings(("Mã đơn vị", "Tên đầy đủ"), b"<si><t>SYT</t></si>")
    assert openpyxl.load_workbook(io.BytesIO(content), read_only=True).worksheets[0]["A1"].value == "Mã đơn vị"


# --- shared strings ---------------------------------------------------------------------------------


def test_a_huge_shared_strings_table_is_refused_after_counting_one_past_the_limit(page, client_as, reading, units):
    content = strings_bomb(page)
    text = post(client_as, page, content)
    assert "Tệp Excel quá lớn: tệp chứa hơn 100.000 đoạn văn bản khác nhau." in text
    assert reading.opened == 0  # openpyxl, which loads the whole table into memory, never saw the file
    assert reading.checks[-1].counts["strings"] == excel.MAX_SHARED_STRINGS + 1
    # The table unpacks to 6.5 MB; the check stopped within a read of the 100 001st string.
    strings_bytes = excel.MAX_SHARED_STRINGS * len(b"<si><t>99999</t></si>")
    other_parts = sum(len(part) for part in frame(page.headers).values())
    assert reading.inflated <= strings_bytes + other_parts + 2 * excel.CHECK_CHUNK_BYTES


def test_a_shared_strings_count_over_the_limit_is_refused_before_reading_a_string(council, reading):
    content = with_shared_strings(
        UNITS.headers, b"<si><t>x</t></si>", sst_attributes=b'count="9" uniqueCount="4000000"'
    )
    assert "tệp chứa hơn 100.000 đoạn văn bản khác nhau" in only_issue(UNITS, content, council)
    assert reading.checks[-1].counts["strings"] == 0
    assert reading.opened == 0


# --- rows -------------------------------------------------------------------------------------------


def test_millions_of_blank_rows_are_refused_after_counting_one_past_the_limit(page, client_as, reading, units):
    text = post(client_as, page, blank_rows_bomb(page))
    assert "Tệp Excel quá lớn: các trang tính trong tệp có hơn 20.000 dòng, kể cả dòng trống." in text
    assert reading.opened == 0
    assert reading.checks[-1].counts["rows"] == excel.MAX_WALKED_ROWS + 1
    row_bytes = (excel.MAX_WALKED_ROWS + 1) * len(BLANK_ROW % BLANK_ROWS)
    other_parts = sum(len(part) for part in frame(page.headers).values())
    assert reading.inflated <= row_bytes + other_parts + 2 * excel.CHECK_CHUNK_BYTES  # of 35 MB


def test_a_jump_in_row_numbers_is_refused_after_walking_one_past_the_limit(page, client_as, reading, units):
    text = post(client_as, page, gap_bomb(page))
    assert "Tệp Excel quá lớn: các trang tính trong tệp có hơn 20.000 dòng, kể cả dòng trống." in text
    assert reading.opened == 1  # two rows pass the check; the walk itself stops
    assert reading.rows_walked == excel.MAX_WALKED_ROWS + 1


def test_a_declared_dimension_over_the_limit_is_refused_before_walking_a_row(council, reading):
    content = build(
        UNITS.headers, {"xl/worksheets/sheet1.xml": sheet([header_row(UNITS.headers)], dimension=b"A1:L2000000")}
    )
    assert "có hơn 20.000 dòng, kể cả dòng trống" in only_issue(UNITS, content, council)
    assert reading.rows_walked == 0


def test_the_largest_legitimate_sheet_passes_the_guard(council, reading):
    """MAX_ROWS rows of the 12 template columns, then formatted empty rows up to the walk's limit."""
    text = "Hội Liên hiệp Phụ nữ tỉnh, Văn phòng Ủy ban nhân dân"

    def row(number: int) -> bytes:
        if number > excel.MAX_ROWS + 1:
            return b'<row r="%d" s="1" customFormat="1"><c r="A%d" s="1"/></row>' % (number, number)
        return (
            b'<row r="%d">' % number + b"".join(inline(f"{text} {number}-{column}") for column in range(12)) + b"</row>"
        )

    rows = (row(number) for number in range(2, excel.MAX_WALKED_ROWS + 1))
    content = build(UNITS.headers, {"xl/worksheets/sheet1.xml": sheet([header_row(UNITS.headers), *rows])})
    assert excel.workbook_check(upload(content)).problem == ""
    with excel.sheet_open(upload(content)) as first:
        assert sum(1 for _ in excel.sheet_rows(first)) == excel.MAX_WALKED_ROWS


# --- the archive ------------------------------------------------------------------------------------


def test_a_zip_bomb_is_refused_from_the_archive_directory_without_inflating_it(page, client_as, reading, units):
    content = zip_bomb(page)
    assert len(content) < 200_000  # 100 MB of zeros pack to about 100 kB
    text = post(client_as, page, content)
    assert "Tệp Excel quá lớn: khi giải nén, nội dung của tệp vượt quá 64,0 MB." in text
    assert reading.inflated == 0
    assert reading.opened == 0


def test_a_member_packed_beyond_the_ratio_is_refused_without_inflating_it(council, reading, monkeypatch):
    monkeypatch.setattr(excel, "MAX_INFLATED_BYTES", 1024 * MiB)  # only the ratio stands in the way
    content = zip_bomb(UNITS, 20 * MiB)
    assert "lớn gấp hơn 100 lần khi nén" in only_issue(UNITS, content, council)
    assert reading.inflated == 0


def test_a_member_bigger_than_it_declares_is_refused_having_inflated_at_most_its_declared_size(council, reading):
    content = build(
        UNITS.headers, {"xl/worksheets/sheet1.xml": sheet([header_row(UNITS.headers)] * 50_000)}, writestr=True
    )
    content = declare_size(content, "xl/worksheets/sheet1.xml", 1000)
    assert "Không đọc được tệp Excel" in only_issue(UNITS, content, council)
    declared = sum(info.file_size for info in zipfile.ZipFile(io.BytesIO(content)).infolist())
    assert reading.inflated <= declared
    assert reading.opened == 0


# --- sheets, cells, formats, markup -----------------------------------------------------------------


def test_too_many_parts_are_refused_from_the_archive_directory(council, reading):
    parts = {f"customXml/item{i}.xml": b"" for i in range(excel.MAX_ARCHIVE_MEMBERS)}
    content = build(UNITS.headers, parts)
    assert "tệp gồm hơn 1.000 thành phần" in only_issue(UNITS, content, council)
    assert reading.inflated == 0
    assert reading.opened == 0


def test_too_many_elements_of_any_kind_are_refused(council, reading, monkeypatch):
    """Whatever part holds them (here the theme and styles of a plain workbook, over a lowered limit)."""
    monkeypatch.setattr(excel, "MAX_XML_ELEMENTS", 100)
    content = build(UNITS.headers, {})
    assert "nội dung của tệp có hơn 100 phần tử" in only_issue(UNITS, content, council)
    assert reading.checks[-1].counts["elements"] == 101
    assert reading.opened == 0


def test_too_many_sheets_are_refused(council, reading):
    sheets = b"".join(
        b'<sheet xmlns:r="%s" name="S%d" sheetId="%d" r:id="rId1"/>' % (RELATIONSHIPS, i, i + 1) for i in range(101)
    )
    workbook = re.sub(
        rb"<sheets>.*</sheets>", b"<sheets>" + sheets + b"</sheets>", frame(UNITS.headers)["xl/workbook.xml"]
    )
    content = build(UNITS.headers, {"xl/workbook.xml": workbook})
    assert "tệp có hơn 100 trang tính" in only_issue(UNITS, content, council)
    assert reading.checks[-1].counts["sheets"] == excel.MAX_SHEETS + 1
    assert reading.opened == 0


def test_too_many_cells_are_refused(council, reading):
    """15 000 rows of 20 formatted empty cells, as a formatted range is written: rows within their limit."""
    letters = [bytes([letter]) for letter in b"ABCDEFGHIJKLMNOPQRST"]

    def formatted(i: int) -> bytes:
        number = i + 2
        return b'<row r="%d">' % number + b"".join(b'<c r="%s%d" s="1"/>' % (c, number) for c in letters) + b"</row>"

    rows = in_chunks(formatted, 15_000, size=1000)
    content = build(UNITS.headers, {"xl/worksheets/sheet1.xml": sheet([header_row(UNITS.headers), *rows])})
    assert "có hơn 250.000 ô, kể cả ô trống đã định dạng" in only_issue(UNITS, content, council)
    assert reading.checks[-1].counts["cells"] == excel.MAX_CELLS + 1
    assert reading.opened == 0


def test_a_row_naming_a_far_column_is_read_no_wider_than_the_column_limit(council, reading):
    far = b'<row r="2"><c r="XFD2" t="inlineStr"><is><t>x</t></is></c></row>'
    content = build(UNITS.headers, {"xl/worksheets/sheet1.xml": sheet([header_row(UNITS.headers), far])})
    with excel.sheet_open(upload(content)) as first:
        widths = {len(cells) for _, cells in excel.sheet_rows(first)}
    assert widths == {excel.MAX_COLUMNS}  # not 16 384 cells for the one in column XFD


def test_too_many_cell_formats_are_refused(council, reading):
    styles = frame(UNITS.headers)["xl/styles.xml"]
    formats = b'<cellXfs count="1">' + b"<xf/>" * (excel.MAX_STYLE_RECORDS + 1) + b"</cellXfs>"
    content = build(UNITS.headers, {"xl/styles.xml": re.sub(rb"<cellXfs.*?</cellXfs>", formats, styles, flags=re.S)})
    assert "định dạng ô và kiểu ô" in only_issue(UNITS, content, council)
    assert reading.opened == 0


def test_a_part_declaring_entities_is_refused_as_unreadable(council, reading):
    laughs = b'<!DOCTYPE worksheet [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;">]>'
    rows = [header_row(UNITS.headers), b'<row r="2"><c t="inlineStr"><is><t>&b;</t></is></c></row>']
    content = build(UNITS.headers, {"xl/worksheets/sheet1.xml": sheet(rows, prolog=laughs)})
    assert "Không đọc được tệp Excel" in only_issue(UNITS, content, council)
    assert reading.opened == 0


def test_a_picture_with_a_doctype_is_no_problem(council, reading):
    svg = (
        b'<?xml version="1.0"?><!DOCTYPE svg PUBLIC "-//W3C//DTD SVG 1.1//EN" '
        b'"http://www.w3.org/Graphics/SVG/1.1/DTD/svg11.dtd"><svg xmlns="http://www.w3.org/2000/svg"/>'
    )
    content = build(UNITS.headers, {"xl/media/image1.svg": svg})
    assert excel.workbook_check(upload(content)).problem == ""


# --- files that are no workbook at all --------------------------------------------------------------


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"Ma don vi,Ten day du\nSYT,So Y te\n", "Đây không phải là tệp Excel .xlsx."),
        (b"PK\x03\x04" + b"\x00" * 200, "Không đọc được tệp Excel: tệp có thể bị hỏng"),
    ],
    ids=["csv", "corrupt zip"],
)
def test_a_file_that_is_no_xlsx_is_refused_cleanly(page, content, message, client_as, reading, units):
    assert message in post(client_as, page, content)
    assert reading.opened == 0
