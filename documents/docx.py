"""Any document as an editable Word file (.docx, python-docx), from the same ``DocumentContent`` as its PDF
(``documents.render.content_pdf``), in the state format's measures (Decree 30/2020/NĐ-CP Appendix I):

* A4, margins 20 mm top and bottom, 30 mm left, 15 mm right; Times New Roman, body 14 pt, first-line
  indent 1.27 cm, 6 pt after a paragraph; page numbers centred in the top margin from page 2 on;
* the header as a borderless table whose grid agrees with its cells (75 + 90 mm, fixed layout, so Word and
  LibreOffice never wrap the national title), the issuing body laid out line by line (``documents.header``),
  the short rule under it drawn as a paragraph border, "Số:" on the row of the place-and-date line;
* tables whose heading row repeats on every page and whose rows never split; signature rows that never
  split and stay with the body's last lines.
"""

from __future__ import annotations

from io import BytesIO
from typing import Any

from docx import Document
from docx.enum.section import WD_ORIENT
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Cm, Mm, Pt

from .content import Block, DocumentContent, Signature, recipients_punctuated
from .header import header_layout
from .render import date_line

FONT = "Times New Roman"
BODY_SIZE = Pt(14)
TEXT_WIDTH_MM = 165  # A4 less 30 + 15 mm
ISSUER_MM, NATION_MM = 76, 89
RULE_MM = 30
SIGNATURE_SPACE_LINES = 4
_ALIGN = {"left": WD_ALIGN_PARAGRAPH.LEFT, "center": WD_ALIGN_PARAGRAPH.CENTER, "right": WD_ALIGN_PARAGRAPH.RIGHT}


def _font(
    run: Any, *, size: Any = None, bold: bool | None = None, italic: bool | None = None, underline: bool | None = None
) -> None:
    run.font.name = FONT
    # Word picks the font of Vietnamese letters from the East Asian and complex-script slots too.
    fonts = run._element.get_or_add_rPr().get_or_add_rFonts()
    for slot in ("w:ascii", "w:hAnsi", "w:eastAsia", "w:cs"):
        fonts.set(qn(slot), FONT)
    if size is not None:
        run.font.size = size
    if bold is not None:
        run.bold = bold
    if italic is not None:
        run.italic = italic
    if underline is not None:
        run.underline = underline


def _format(
    paragraph: Any,
    *,
    align: Any = WD_ALIGN_PARAGRAPH.CENTER,
    indent: Any = None,
    after: Any = None,
    before: Any = None,
    keep_next: bool = False,
) -> Any:
    paragraph.alignment = align
    fmt = paragraph.paragraph_format
    fmt.space_after = after if after is not None else Pt(0)
    fmt.space_before = before if before is not None else Pt(0)
    fmt.first_line_indent = indent
    fmt.keep_with_next = keep_next
    return paragraph


def _write(paragraph: Any, text: str, **font: Any) -> Any:
    """The text as runs, a typed line break as a real line break (nothing typed is lost)."""
    lines = text.split("\n")
    for index, line in enumerate(lines):
        run = paragraph.add_run(line)
        _font(run, **font)
        if index < len(lines) - 1:
            run.add_break()
    return paragraph


class _Cell:
    """Writes paragraphs into a table cell; the cell's own first (empty) paragraph is used first."""

    def __init__(self, cell: Any):
        self.cell = cell
        self.fresh = True

    def add(
        self,
        text: str = "",
        *,
        align: Any = WD_ALIGN_PARAGRAPH.CENTER,
        after: Any = None,
        before: Any = None,
        keep_next: bool = True,
        **font: Any,
    ) -> Any:
        paragraph = self.cell.paragraphs[0] if self.fresh else self.cell.add_paragraph()
        self.fresh = False
        _format(paragraph, align=align, after=after, before=before, keep_next=keep_next)
        return _write(paragraph, text, **font) if text else paragraph


def _setup(document: Any, content: DocumentContent) -> None:
    section = document.sections[0]
    if content.landscape:
        section.orientation = WD_ORIENT.LANDSCAPE
        section.page_width, section.page_height = Mm(297), Mm(210)
    else:
        section.orientation = WD_ORIENT.PORTRAIT
        section.page_width, section.page_height = Mm(210), Mm(297)
    section.top_margin, section.bottom_margin = Mm(20), Mm(20)
    section.left_margin, section.right_margin = Mm(30), Mm(15)
    section.header_distance = Mm(10)
    normal = document.styles["Normal"]
    normal.font.name = FONT
    normal.font.size = BODY_SIZE
    fonts = normal.element.get_or_add_rPr().get_or_add_rFonts()
    for slot in ("w:ascii", "w:hAnsi", "w:eastAsia", "w:cs"):
        fonts.set(qn(slot), FONT)
    normal.paragraph_format.space_after = Pt(6)
    _page_numbers(section)


def _page_numbers(section: Any) -> None:
    """The page number centred in the top margin, from page 2 on (the first page's header stays empty)."""
    section.different_first_page_header_footer = True
    paragraph = section.header.paragraphs[0]
    _format(paragraph, align=WD_ALIGN_PARAGRAPH.CENTER)
    run = paragraph.add_run()
    _font(run, size=Pt(13))
    for kind, text in (("begin", None), (None, "PAGE"), ("end", None)):
        if kind:
            element = OxmlElement("w:fldChar")
            element.set(qn("w:fldCharType"), kind)
        else:
            element = OxmlElement("w:instrText")
            element.set(qn("xml:space"), "preserve")
            element.text = text
        run._element.append(element)


def _fixed_table(document: Any, *, rows: int, widths_mm: list[float], borders: bool) -> Any:
    """A table whose grid, cell widths and layout agree, so no program re-flows it. A borderless table
    (header, signatures) has no cell margins either: its columns' whole widths are the text's."""
    table = document.add_table(rows=rows, cols=len(widths_mm))
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    table.autofit = False
    if borders:
        table.style = document.styles["Table Grid"]
    # Word reads a table's properties in the schema's order: the width (tblW) is rewritten in place, the
    # fixed layout comes from ``autofit``, the cell margins go right after it.
    properties = table._tbl.tblPr
    width = properties.find(qn("w:tblW"))
    width.set(qn("w:w"), str(round(sum(widths_mm) * 56.7)))
    width.set(qn("w:type"), "dxa")
    if not borders:
        margins = OxmlElement("w:tblCellMar")
        for side in ("top", "left", "bottom", "right"):
            margin = OxmlElement(f"w:{side}")
            margin.set(qn("w:w"), "0")
            margin.set(qn("w:type"), "dxa")
            margins.append(margin)
        properties.tblLayout.addnext(margins)
    for grid_col, width_mm in zip(table._tbl.tblGrid.findall(qn("w:gridCol")), widths_mm, strict=True):
        grid_col.set(qn("w:w"), str(round(width_mm * 56.7)))
    for row in table.rows:
        for cell, width_mm in zip(row.cells, widths_mm, strict=True):
            cell.width = Mm(width_mm)
    return table


def _row_flags(row: Any, *, cant_split: bool = True, header: bool = False) -> None:
    properties = row._tr.get_or_add_trPr()
    if cant_split:
        properties.append(OxmlElement("w:cantSplit"))
    if header:
        properties.append(OxmlElement("w:tblHeader"))


# What may follow <w:pBdr> in a paragraph's properties (ECMA-376 CT_PPrBase): Word rejects a file whose
# elements are out of this order, so the border goes before the first of them.
_AFTER_PBDR = (
    "w:shd", "w:tabs", "w:suppressAutoHyphens", "w:kinsoku", "w:wordWrap", "w:overflowPunct", "w:topLinePunct",
    "w:autoSpaceDE", "w:autoSpaceDN", "w:bidi", "w:adjustRightInd", "w:snapToGrid", "w:spacing", "w:ind",
    "w:contextualSpacing", "w:mirrorIndents", "w:suppressOverlap", "w:jc", "w:textDirection", "w:textAlignment",
    "w:textboxTightWrap", "w:outlineLvl", "w:divId", "w:cnfStyle", "w:rPr", "w:sectPr", "w:pPrChange",
)  # fmt: skip


def _rule(paragraph: Any, *, width_mm: float, container_mm: float) -> Any:
    """A short centred rule, drawn: the paragraph narrowed by its indents, with a top border, one small
    line high."""
    side = Mm((container_mm - width_mm) / 2)
    paragraph.paragraph_format.left_indent = side
    paragraph.paragraph_format.right_indent = side
    borders = OxmlElement("w:pBdr")
    top = OxmlElement("w:top")
    for key, value in (("w:val", "single"), ("w:sz", "6"), ("w:space", "1"), ("w:color", "000000")):
        top.set(qn(key), value)
    borders.append(top)
    properties = paragraph._p.get_or_add_pPr()
    following = next((child for child in properties if child.tag in {qn(tag) for tag in _AFTER_PBDR}), None)
    if following is None:
        properties.append(borders)
    else:
        following.addprevious(borders)
    _font(paragraph.add_run(""), size=Pt(4))
    return paragraph


def _header(document: Any, content: DocumentContent, number_text: str) -> None:
    table = _fixed_table(document, rows=2, widths_mm=[ISSUER_MM, NATION_MM], borders=False)
    for row in table.rows:
        _row_flags(row)
    issuer, nation = _Cell(table.rows[0].cells[0]), _Cell(table.rows[0].cells[1])
    lines = header_layout(content.header)
    for line in lines:
        issuer.add(line.text, size=Pt(line.size_pt), bold=line.bold)
    if lines:
        _rule(issuer.add("", size=Pt(4)), width_mm=RULE_MM, container_mm=ISSUER_MM)
    nation.add("CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", size=Pt(12), bold=True)
    nation.add("Độc lập - Tự do - Hạnh phúc", size=Pt(13), bold=True, underline=True)
    number, place = _Cell(table.rows[1].cells[0]), _Cell(table.rows[1].cells[1])
    if content.numbered:
        number.add(f"Số: {number_text}", size=Pt(13), before=Pt(8))
    if content.date:
        place_text = date_line(content.place_name, content.date)
    else:
        place_text = f"{content.place_name}, ngày      tháng      năm        "
    place.add(place_text, size=Pt(13), italic=True, before=Pt(8))


def _block(document: Any, block: Block) -> None:
    if block.style == "table":
        _table_block(document, block)
        return
    text = f"- {block.text}" if block.style == "item" else block.text
    indented = block.style in ("para", "item", "subheading", "bold", "note")
    paragraph = _format(
        document.add_paragraph(),
        align=WD_ALIGN_PARAGRAPH.CENTER if block.style == "center" else WD_ALIGN_PARAGRAPH.JUSTIFY,
        indent=Cm(1.27) if indented else None,
        after=Pt(6),
        before=Pt(6) if block.style == "heading" else None,
        keep_next=block.style in ("heading", "subheading", "note"),
    )
    _write(
        paragraph,
        text,
        size=BODY_SIZE,
        bold=block.style in ("heading", "subheading", "bold"),
        italic=block.style == "note",
    )


def _table_block(document: Any, block: Block) -> None:
    fixed = sum(column.width_mm or 0 for column in block.columns)
    free = [column for column in block.columns if not column.width_mm]
    rest = max(TEXT_WIDTH_MM - fixed, 20) / max(len(free), 1)
    widths = [column.width_mm or rest for column in block.columns]
    table = _fixed_table(document, rows=1 + len(block.rows), widths_mm=widths, borders=True)
    heading = table.rows[0]
    _row_flags(heading, header=True)
    for cell, column in zip(heading.cells, block.columns, strict=True):
        _Cell(cell).add(column.heading, size=Pt(block.size_pt), bold=True, keep_next=False)
    for row, values in zip(table.rows[1:], block.rows, strict=True):
        _row_flags(row)
        for cell, column, value in zip(row.cells, block.columns, values, strict=True):
            _Cell(cell).add(
                value, align=_ALIGN.get(column.align, WD_ALIGN_PARAGRAPH.LEFT), size=Pt(block.size_pt), keep_next=False
            )
    document.add_paragraph().paragraph_format.space_after = Pt(0)


def _signature(cell: _Cell, signature: Signature) -> None:
    for role in signature.roles:
        cell.add(role.upper(), size=BODY_SIZE, bold=True)
    for detail in signature.details:
        cell.add(detail.upper(), size=Pt(13), bold=False)
    for _blank in range(SIGNATURE_SPACE_LINES):
        cell.add("", size=BODY_SIZE)
    cell.add(signature.name, size=BODY_SIZE, bold=True, keep_next=False)


def _recipients(cell: _Cell, recipients: list[str]) -> None:
    cell.add("Nơi nhận:", align=WD_ALIGN_PARAGRAPH.LEFT, size=Pt(12), bold=True, italic=True)
    for line in recipients_punctuated(recipients):
        cell.add(f"- {line}", align=WD_ALIGN_PARAGRAPH.LEFT, size=Pt(11))


def _signatures(document: Any, content: DocumentContent) -> None:
    left, right = content.signature_left, content.signature_right
    if left or right or content.recipients:
        if document.paragraphs:  # the body's last line stays on the page of the signatures
            document.paragraphs[-1].paragraph_format.keep_with_next = True
        table = _fixed_table(document, rows=1, widths_mm=[TEXT_WIDTH_MM / 2] * 2, borders=False)
        _row_flags(table.rows[0])
        first, second = _Cell(table.rows[0].cells[0]), _Cell(table.rows[0].cells[1])
        if left:
            _signature(first, left)
        elif content.recipients:
            _recipients(first, content.recipients)
        if right:
            _signature(second, right)
        if left and content.recipients:
            below = _Cell(document.add_table(rows=1, cols=1).rows[0].cells[0])
            _recipients(below, content.recipients)
    if content.signature_grid:
        if document.paragraphs:  # the body's last line goes along with the heading and first signatures
            document.paragraphs[-1].paragraph_format.keep_with_next = True
        if content.signatures_heading:
            heading = _format(document.add_paragraph(), before=Pt(18), after=Pt(6), keep_next=True)
            _write(heading, content.signatures_heading, size=BODY_SIZE, bold=True)
        signatures = content.signature_grid
        grid = _fixed_table(document, rows=(len(signatures) + 1) // 2, widths_mm=[TEXT_WIDTH_MM / 2] * 2, borders=False)
        for index, row in enumerate(grid.rows):
            _row_flags(row)
            for cell, signature in zip(row.cells, signatures[index * 2 : index * 2 + 2], strict=False):
                _signature(_Cell(cell), signature)


def content_docx(content: DocumentContent, *, number_text: str = "", draft: bool = False) -> bytes:
    """The document as .docx bytes. A draft says "DỰ THẢO" above the document type."""
    document = Document()
    _setup(document, content)
    if content.national_header:
        _header(document, content, number_text)
    if draft:
        _write(_format(document.add_paragraph(), before=Pt(12)), "DỰ THẢO", size=BODY_SIZE, bold=True)
    _write(
        _format(document.add_paragraph(), before=Pt(18), keep_next=True),
        content.doc_type.upper(),
        size=BODY_SIZE,
        bold=True,
    )
    if content.subject:
        subject = _format(document.add_paragraph(), keep_next=True)
        _write(subject, content.subject, size=BODY_SIZE, bold=True)
        _rule(_format(document.add_paragraph()), width_mm=RULE_MM, container_mm=TEXT_WIDTH_MM)
    for block in content.blocks:
        _block(document, block)
    _signatures(document, content)
    buffer = BytesIO()
    document.save(buffer)
    return buffer.getvalue()
