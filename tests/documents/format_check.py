"""The state document format (Decree 30/2020/NĐ-CP Appendix I; docs/architecture.md, "Documents"),
measured on the files themselves: PDFs with pypdf (each text run's page, position, size and font), Word
files with python-docx (sections, tables, runs and their XML flags).

Each check returns a list of problems (empty: the rule holds), so a test can print what is wrong.
Positions are in millimetres from the page's top-left corner.
"""

from __future__ import annotations

import io
import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass, field

from docx import Document as open_docx
from docx.oxml.ns import qn
from docx.shared import Mm
from pypdf import PdfReader

from documents.header import text_width_mm

NATIONAL_TITLE = "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM"
MOTTO = "Độc lập - Tự do - Hạnh phúc"
PT_MM = 25.4 / 72
A4_MM = (210.0, 297.0)
# Decree 30/2020 Appendix I, I.5: top and bottom 20–25 mm, left 30–35 mm, right 15–20 mm.
MARGINS_MM = {"top": (20, 25), "bottom": (20, 25), "left": (30, 35), "right": (15, 20)}
TOLERANCE_MM = 1.0


def collapse(text: str) -> str:
    """NFC, single spaces: how two renderers' texts compare."""
    return " ".join(unicodedata.normalize("NFC", text).split())


@dataclass
class Run:
    page: int  # 1-based
    x: float
    y: float  # the baseline
    size: float  # points
    font: str
    text: str

    @property
    def bold(self) -> bool:
        return "Bold" in self.font

    @property
    def italic(self) -> bool:
        return "Italic" in self.font

    @property
    def right(self) -> float:
        return self.x + text_width_mm(self.text, size_pt=self.size, bold=self.bold)


@dataclass
class Line:
    page: int
    y: float
    runs: list[Run] = field(default_factory=list)

    @property
    def text(self) -> str:
        return " ".join(run.text for run in sorted(self.runs, key=lambda run: run.x))

    @property
    def x(self) -> float:
        return min(run.x for run in self.runs)

    @property
    def right(self) -> float:
        return max(run.right for run in self.runs)


class PdfDocument:
    """A PDF's pages, text runs and fonts, read once."""

    def __init__(self, pdf: bytes):
        self.reader = PdfReader(io.BytesIO(pdf))
        self.runs: list[Run] = []
        for number, page in enumerate(self.reader.pages, start=1):
            height = float(page.mediabox.height)

            def visit(text, cm, tm, font_dict, font_size, number=number, height=height):
                text = unicodedata.normalize("NFC", text.replace("\n", "")).strip()
                if not text:
                    return
                # The text matrix, then the current transformation matrix, gives the point on the page.
                a, b, c, d, e, f = cm
                x = tm[4] * a + tm[5] * c + e
                y = tm[4] * b + tm[5] * d + f
                scale = (abs(tm[0] * a) or abs(tm[1] * b)) or 1
                font = str(font_dict.get("/BaseFont", "")) if font_dict else ""
                self.runs.append(Run(number, x * PT_MM, (height - y) * PT_MM, font_size * scale, font, text))

            page.extract_text(visitor_text=visit)

    @property
    def page_count(self) -> int:
        return len(self.reader.pages)

    def lines(self, page: int | None = None) -> list[Line]:
        """Runs that share a baseline (within 1 mm) on a page, top to bottom."""
        found: list[Line] = []
        for run in sorted(self.runs, key=lambda run: (run.page, run.y, run.x)):
            if page is not None and run.page != page:
                continue
            if found and found[-1].page == run.page and abs(found[-1].y - run.y) < 1.0:
                found[-1].runs.append(run)
            else:
                found.append(Line(run.page, run.y, [run]))
        return found

    def find(self, text: str) -> list[Run]:
        return [run for run in self.runs if text in run.text]

    def find_part(self, text: str) -> list[Run]:
        """Runs holding ``text`` or a piece of it (a long line wraps into several runs)."""
        return [run for run in self.runs if text in run.text or (len(run.text) >= 4 and run.text in text)]

    def fonts(self) -> dict[str, bool]:
        """Every font the pages use → whether its file is embedded."""
        found: dict[str, bool] = {}
        for page in self.reader.pages:
            resources = page.get("/Resources") or {}
            for font in (resources.get("/Font") or {}).values():
                font = font.get_object()
                descendants = font.get("/DescendantFonts")
                target = descendants[0].get_object() if descendants else font
                descriptor = target.get("/FontDescriptor")
                descriptor = descriptor.get_object() if descriptor else {}
                embedded = any(key in descriptor for key in ("/FontFile", "/FontFile2", "/FontFile3"))
                found[str(font.get("/BaseFont"))] = embedded
        return found


# PDF rules ---------------------------------------------------------------------------------------------


def pdf_a4(doc: PdfDocument, *, landscape: bool = False) -> list[str]:
    want = tuple(reversed(A4_MM)) if landscape else A4_MM
    problems = []
    for number, page in enumerate(doc.reader.pages, start=1):
        size = (float(page.mediabox.width) * PT_MM, float(page.mediabox.height) * PT_MM)
        if abs(size[0] - want[0]) > 1 or abs(size[1] - want[1]) > 1:
            problems.append(f"page {number} is {size[0]:.0f} × {size[1]:.0f} mm")
    return problems


def pdf_margins(doc: PdfDocument, *, landscape: bool = False) -> list[str]:
    """Every line of text inside the text area; the page number alone lives in the top margin."""
    width, height = (A4_MM[1], A4_MM[0]) if landscape else A4_MM
    left, right = MARGINS_MM["left"][0], width - MARGINS_MM["right"][0]
    top, bottom = MARGINS_MM["top"][0], height - MARGINS_MM["bottom"][0]
    problems = []
    for line in doc.lines():
        if line.y < top and line.text.strip().isdigit():
            continue  # the page number, in the top margin
        if line.x < left - TOLERANCE_MM or line.right > right + TOLERANCE_MM:
            problems.append(f"page {line.page}: {line.text[:40]!r} spans {line.x:.1f}–{line.right:.1f} mm")
        # A baseline sits a little below its line's top: allow one line's ascent above the margin.
        if line.y < top or line.y > bottom + TOLERANCE_MM:
            problems.append(f"page {line.page}: {line.text[:40]!r} at {line.y:.1f} mm from the top")
    return problems


def pdf_fonts_embedded(doc: PdfDocument) -> list[str]:
    return [f"{name} is not embedded" for name, embedded in doc.fonts().items() if not embedded]


def pdf_national_title(doc: PdfDocument) -> list[str]:
    """The national title on one line, bold, on page 1; the motto under it, bold."""
    title = [line for line in doc.lines(1) if NATIONAL_TITLE in line.text]
    if not title:
        return ["the national title is not on one line of page 1"]
    # The issuing body's first line shares the title's baseline; the title is in the right column.
    runs = [run for run in title[0].runs if run.x > 100]
    problems = [f"{run.text!r} is not bold" for run in runs if not run.bold]
    motto = [line for line in doc.lines(1) if MOTTO in line.text]
    if not motto:
        problems.append("the motto is not on one line")
    elif not 3 < motto[0].y - title[0].y < 10:
        problems.append(f"the motto is {motto[0].y - title[0].y:.1f} mm under the title")
    elif not all(run.bold for run in motto[0].runs if run.x > 100):
        problems.append("the motto is not bold")
    return problems


def pdf_number_and_date_row(doc: PdfDocument, *, numbered: bool = True) -> list[str]:
    """The place-and-date line in italics, on the baseline of "Số:"."""
    dates = [run for run in doc.runs if run.page == 1 and re.search(r"ngày\s", run.text) and run.y < 80]
    if not dates:
        return ["no place-and-date line on page 1"]
    date_run = dates[0]
    problems = [] if date_run.italic else [f"the date line {date_run.text!r} is not italic"]
    if numbered:
        numbers = [run for run in doc.runs if run.page == 1 and run.text.startswith("Số:")]
        if not numbers:
            problems.append("no 'Số:' line")
        elif abs(numbers[0].y - date_run.y) > 1.0:
            problems.append(f"'Số:' is {numbers[0].y - date_run.y:+.1f} mm from the date line's row")
    return problems


def pdf_issuer_lines(doc: PdfDocument, expected: Iterable[str]) -> list[str]:
    """Each laid-out issuing-body line printed whole on one line of the left column, in order."""
    column = [line for line in doc.lines(1) if line.x < 105 and line.y < 60]
    printed = [" ".join(run.text for run in line.runs if run.x < 105) for line in column]
    problems = []
    for want in expected:
        if want not in printed:
            problems.append(f"issuing-body line {want!r} is not printed whole (printed: {printed})")
    return problems


def pdf_signatures_whole(doc: PdfDocument, signatures: Iterable[tuple[str, ...]]) -> list[str]:
    """Each signature block on one page: its first line and its last (the name, or the last title line
    when the name is unknown) on a common page, the last below the first. A title such as "CHỦ TỊCH"
    recurs in many blocks of a grid, so the block is found by its own first and last lines."""
    problems = []
    for lines in signatures:
        wanted = [text for text in lines if text]
        first, last = wanted[0], wanted[-1]
        tops, bottoms = doc.find_part(first), doc.find_part(last)
        if not tops or not bottoms:
            problems.append(f"signature {wanted} not found")
        elif not any(top.page == bottom.page and bottom.y >= top.y for top in tops for bottom in bottoms):
            pages = sorted({run.page for run in tops + bottoms})
            problems.append(f"signature {wanted} is split over pages {pages}")
    return problems


def pdf_no_signature_only_page(doc: PdfDocument, closing_texts: Iterable[str]) -> list[str]:
    """The closing (signatures, "Nơi nhận") never starts on a page without body text: the page of its
    first line holds at least one line of the body. (A grid of forty signatures runs over pages of its
    own after that; its start stays with the body's last lines.)"""
    closing = [text for text in closing_texts if text]

    def is_closing(run: Run) -> bool:
        return run.text.isdigit() or run.text == "DỰ THẢO" or any(run.text in text for text in closing)

    closing_lines = [line for line in doc.lines() if all(is_closing(run) for run in line.runs)]
    first = next((line for line in closing_lines if not line.text.isdigit() and line.text != "DỰ THẢO"), None)
    if first is None:
        return []
    body = [
        line for line in doc.lines(first.page) if line.y < first.y and not all(is_closing(run) for run in line.runs)
    ]
    return [] if body else [f"the closing starts page {first.page} with no body text above it"]


def pdf_page_numbers(doc: PdfDocument) -> list[str]:
    """No number on page 1; from page 2 on, the page's number in the top margin."""
    problems = []
    for page in range(1, doc.page_count + 1):
        top = [line.text for line in doc.lines(page) if line.y < MARGINS_MM["top"][0]]
        if page == 1 and any(text.isdigit() for text in top):
            problems.append("page 1 has a page number")
        if page > 1 and str(page) not in top:
            problems.append(f"page {page} has no page number in the top margin")
    return problems


# Word rules --------------------------------------------------------------------------------------------


class DocxDocument:
    def __init__(self, data: bytes):
        self.document = open_docx(io.BytesIO(data))

    def all_runs(self):
        body = self.document.element.body
        yield from body.iter(qn("w:r"))

    def text(self) -> str:
        return "\n".join(t.text or "" for t in self.document.element.body.iter(qn("w:t")))


def _mm(length) -> float:
    return length / Mm(1)


def docx_page(doc: DocxDocument, *, landscape: bool = False) -> list[str]:
    want = tuple(reversed(A4_MM)) if landscape else A4_MM
    problems = []
    for section in doc.document.sections:
        size = (_mm(section.page_width), _mm(section.page_height))
        if abs(size[0] - want[0]) > 1 or abs(size[1] - want[1]) > 1:
            problems.append(f"page is {size[0]:.0f} × {size[1]:.0f} mm")
        for side, value in (
            ("top", section.top_margin),
            ("bottom", section.bottom_margin),
            ("left", section.left_margin),
            ("right", section.right_margin),
        ):
            low, high = MARGINS_MM[side]
            if not low - 0.1 <= _mm(value) <= high + 0.1:
                problems.append(f"{side} margin {_mm(value):.1f} mm")
    return problems


def docx_fonts(doc: DocxDocument) -> list[str]:
    """Times New Roman everywhere: the Normal style and every run that names a font."""
    problems = []
    normal = doc.document.styles["Normal"].font.name
    if normal != "Times New Roman":
        problems.append(f"Normal style font {normal!r}")
    for run in doc.all_runs():
        fonts = run.find(f"{qn('w:rPr')}/{qn('w:rFonts')}")
        if fonts is None:
            continue
        for slot in ("w:ascii", "w:hAnsi"):
            value = fonts.get(qn(slot))
            if value and value != "Times New Roman":
                problems.append(f"a run in {value!r}")
    return sorted(set(problems))


def _grid_mm(table) -> list[float]:
    return [int(col.get(qn("w:w"))) / 56.7 for col in table._tbl.tblGrid.findall(qn("w:gridCol"))]


def _cell_margins_mm(table) -> float:
    margins = table._tbl.tblPr.find(qn("w:tblCellMar"))
    if margins is None:
        return 1.9 * 2  # Word's default: 0.19 cm left and right
    total = 0.0
    for side in ("left", "right"):
        element = margins.find(qn(f"w:{side}"))
        total += int(element.get(qn("w:w"))) / 56.7 if element is not None else 1.9
    return total


def docx_tables_consistent(doc: DocxDocument) -> list[str]:
    """Every table: fixed layout, its grid equal to its cells' widths and within the text width."""
    problems = []
    section = doc.document.sections[0]
    text_width = _mm(section.page_width) - _mm(section.left_margin) - _mm(section.right_margin)
    for index, table in enumerate(doc.document.tables):
        layout = table._tbl.tblPr.find(qn("w:tblLayout"))
        if layout is None or layout.get(qn("w:type")) != "fixed":
            problems.append(f"table {index} is not fixed layout")
        grid = _grid_mm(table)
        if sum(grid) > text_width + 0.5:
            problems.append(f"table {index} is {sum(grid):.1f} mm wide, the text {text_width:.1f} mm")
        for row in table.rows:
            for cell, width in zip(row.cells, grid, strict=False):
                if cell.width is not None and abs(_mm(cell.width) - width) > 0.5:
                    problems.append(f"table {index}: a cell is {_mm(cell.width):.1f} mm in a {width:.1f} mm column")
                    break
    return sorted(set(problems))


def docx_header(doc: DocxDocument, *, numbered: bool = True) -> list[str]:
    """The header table: national title bold on one line (its column holds it), motto under it, 'Số:' and
    the italic date line on the same row, the rule under the issuing body drawn (a border, not characters)."""
    problems = []
    header = doc.document.tables[0] if doc.document.tables else None
    if header is None or NATIONAL_TITLE not in header.rows[0].cells[-1].text:
        return ["no header table with the national title"]
    grid = _grid_mm(header)
    room = grid[-1] - _cell_margins_mm(header)
    need = text_width_mm(NATIONAL_TITLE, size_pt=12, bold=True)
    if room < need:
        problems.append(f"the national title needs {need:.1f} mm, its column gives {room:.1f} mm")
    title = next(p for p in header.rows[0].cells[-1].paragraphs if NATIONAL_TITLE in p.text)
    if not all(run.bold for run in title.runs if run.text.strip()):
        problems.append("the national title is not bold")
    if not any(MOTTO in p.text for p in header.rows[0].cells[-1].paragraphs):
        problems.append("no motto under the title")
    if len(header.rows) < 2:
        problems.append("'Số:' and the date line are not on a row of their own")
    else:
        number_cell, date_cell = header.rows[1].cells[0], header.rows[1].cells[-1]
        if numbered and not number_cell.text.startswith("Số:"):
            problems.append(f"the number row holds {number_cell.text!r}")
        date_runs = [run for p in date_cell.paragraphs for run in p.runs if run.text.strip()]
        if not date_runs or not all(run.italic for run in date_runs):
            problems.append("the date line is not italic")
    issuer = header.rows[0].cells[0]
    if any(re.search(r"[─—_-]{4,}", p.text) for p in issuer.paragraphs):
        problems.append("the rule under the issuing body is typed as characters")
    if not any(p._p.find(f"{qn('w:pPr')}/{qn('w:pBdr')}") is not None for p in issuer.paragraphs):
        problems.append("no drawn rule under the issuing body")
    return problems


def docx_issuer_lines(doc: DocxDocument, expected: Iterable[str]) -> list[str]:
    """Each laid-out issuing-body line is its own paragraph, whole, and fits its column at its size."""
    header = doc.document.tables[0]
    cell = header.rows[0].cells[0]
    room = _grid_mm(header)[0] - _cell_margins_mm(header)
    printed = {p.text: p for p in cell.paragraphs if p.text.strip()}
    problems = []
    for want in expected:
        paragraph = printed.get(want)
        if paragraph is None:
            problems.append(f"issuing-body line {want!r} is not a paragraph of its own")
            continue
        run = paragraph.runs[0]
        size = run.font.size.pt if run.font.size else 12
        if text_width_mm(want, size_pt=size, bold=bool(run.bold)) > room + 0.2:
            problems.append(f"issuing-body line {want!r} is wider than its column")
    return problems


def docx_page_numbers(doc: DocxDocument) -> list[str]:
    """A PAGE field in the header of pages 2 on, and an empty first-page header."""
    section = doc.document.sections[0]
    problems = []
    if not section.different_first_page_header_footer:
        problems.append("page 1 has the same header as the others")
    instructions = "".join(t.text or "" for t in section.header._element.iter(qn("w:instrText")))
    if "PAGE" not in instructions:
        problems.append("no page number field")
    if "PAGE" in "".join(t.text or "" for t in section.first_page_header._element.iter(qn("w:instrText"))):
        problems.append("page 1 has a page number")
    return problems


def docx_rows_keep_together(doc: DocxDocument) -> list[str]:
    """Every row of every table never splits across pages (signature rows included); the heading row of a
    bordered table repeats on each page."""
    problems = []
    for index, table in enumerate(doc.document.tables):
        for row_index, row in enumerate(table.rows):
            properties = row._tr.trPr
            if properties is None or properties.find(qn("w:cantSplit")) is None:
                problems.append(f"table {index} row {row_index} may split")
        style = table._tbl.tblPr.find(qn("w:tblStyle"))
        if style is not None and style.get(qn("w:val")) == "TableGrid" and len(table.rows) > 1:
            first = table.rows[0]._tr.trPr
            if first is None or first.find(qn("w:tblHeader")) is None:
                problems.append(f"table {index}'s heading row does not repeat")
    return sorted(set(problems))


def docx_signatures_with_body(doc: DocxDocument, roles: Iterable[str]) -> list[str]:
    """The paragraph before a signature table (one holding a signer's role) keeps with it, so no signature
    stands alone on a page."""
    roles = [role for role in roles if role]
    body = doc.document.element.body
    children = [child for child in body if child.tag in (qn("w:p"), qn("w:tbl"))]
    problems = []
    for position, child in enumerate(children):
        text = "".join(t.text or "" for t in child.iter(qn("w:t")))
        if child.tag != qn("w:tbl") or position == 0 or not any(role in text for role in roles):
            continue
        previous = children[position - 1]
        if previous.tag == qn("w:p") and previous.find(f"{qn('w:pPr')}/{qn('w:keepNext')}") is None:
            problems.append("the paragraph before a signature row does not keep with it")
    return problems
