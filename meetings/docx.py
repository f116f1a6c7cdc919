"""The minutes as an editable Word document (.docx, python-docx), from the same ``MinutesContent`` as the
PDF: the same header, type, subject, blocks and signatures, in the state format's measures for
administrative documents: A4, margins 20/20/30/15 mm, Times New Roman 14 pt body, first-line indent 1.27 cm, 6 pt
between paragraphs.
"""

from __future__ import annotations

from io import BytesIO

from docx import Document
from docx.enum.section import WD_ORIENT
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml.ns import qn
from docx.shared import Cm, Mm, Pt

from documents.render import date_line

from .content import MinutesContent

FONT = "Times New Roman"
BODY_SIZE = Pt(14)


def _font(run, *, size=None, bold=None, italic=None, underline=None) -> None:
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


def _paragraph(container, text: str = "", *, align=WD_ALIGN_PARAGRAPH.CENTER, indent=None, after=None, **font):
    paragraph = container.add_paragraph()
    paragraph.alignment = align
    paragraph.paragraph_format.space_after = after if after is not None else Pt(0)
    paragraph.paragraph_format.space_before = Pt(0)
    paragraph.paragraph_format.first_line_indent = indent
    if text:
        _font(paragraph.add_run(text), **font)
    return paragraph


def _cell_paragraphs(cell):
    # A new cell holds one empty paragraph; write into it first so the cell has no blank line on top.
    first = cell.paragraphs[0]

    def add(text: str = "", **kwargs):
        nonlocal first
        if first is not None:
            paragraph, first = first, None
            paragraph.alignment = kwargs.pop("align", WD_ALIGN_PARAGRAPH.CENTER)
            paragraph.paragraph_format.space_after = kwargs.pop("after", Pt(0))
            kwargs.pop("indent", None)
            if text:
                _font(paragraph.add_run(text), **kwargs)
            return paragraph
        return _paragraph(cell, text, **kwargs)

    return add


def _setup(document) -> None:
    section = document.sections[0]
    section.orientation = WD_ORIENT.PORTRAIT
    section.page_width, section.page_height = Mm(210), Mm(297)
    section.top_margin, section.bottom_margin = Mm(20), Mm(20)
    section.left_margin, section.right_margin = Mm(30), Mm(15)
    normal = document.styles["Normal"]
    normal.font.name = FONT
    normal.font.size = BODY_SIZE
    fonts = normal.element.get_or_add_rPr().get_or_add_rFonts()
    for slot in ("w:ascii", "w:hAnsi", "w:eastAsia", "w:cs"):
        fonts.set(qn(slot), FONT)
    normal.paragraph_format.space_after = Pt(6)


def _header(document, content: MinutesContent, number_text: str) -> None:
    table = document.add_table(rows=1, cols=2)
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    table.autofit = False
    left, right = table.rows[0].cells
    left.width, right.width = Cm(7.0), Cm(9.5)

    add = _cell_paragraphs(left)
    lines = content.header_lines
    for index, line in enumerate(lines):
        parent = index == 0 and len(lines) > 1
        add(line.upper(), size=Pt(12), bold=not parent)
    add("─────────", size=Pt(10))
    add(f"Số: {number_text}", size=Pt(13), after=Pt(6))

    add = _cell_paragraphs(right)
    add("CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", size=Pt(12), bold=True)
    add("Độc lập - Tự do - Hạnh phúc", size=Pt(13), bold=True, underline=True, after=Pt(9))
    add(date_line(content.place_name, content.date), size=Pt(13), italic=True)


def minutes_docx(*, content: MinutesContent, number_text: str, draft: bool) -> bytes:
    """The minutes as .docx bytes. A draft says "DỰ THẢO" above the document type."""
    document = Document()
    _setup(document)
    _header(document, content, number_text)

    if draft:
        _paragraph(document, "DỰ THẢO", size=Pt(14), bold=True, after=Pt(0)).paragraph_format.space_before = Pt(12)
    type_paragraph = _paragraph(document, content.doc_type.upper(), size=BODY_SIZE, bold=True)
    type_paragraph.paragraph_format.space_before = Pt(18)
    _paragraph(document, content.subject, size=BODY_SIZE, bold=True, after=Pt(12))

    indent = Cm(1.27)
    for block in content.blocks:
        style = block.style
        text = f"- {block.text}" if style == "item" else block.text
        paragraph = _paragraph(
            document,
            text,
            align=WD_ALIGN_PARAGRAPH.JUSTIFY,
            indent=None if style == "heading" else indent,
            after=Pt(6),
            size=BODY_SIZE,
            bold=style in ("heading", "subheading"),
            italic=style == "note",
        )
        if style == "heading":
            paragraph.paragraph_format.space_before = Pt(6)
            paragraph.paragraph_format.keep_with_next = True
        elif style in ("subheading", "note"):
            paragraph.paragraph_format.keep_with_next = True

    signatures = document.add_table(rows=1, cols=2)
    signatures.alignment = WD_TABLE_ALIGNMENT.CENTER
    for cell, signature in zip(
        signatures.rows[0].cells, (content.signature_left, content.signature_right), strict=True
    ):
        if not signature:
            continue
        add = _cell_paragraphs(cell)
        for role in signature.get("roles", []):
            add(role.upper(), size=BODY_SIZE, bold=True)
        for detail in signature.get("details", []):
            add(detail.upper(), size=Pt(13))
        for _blank in range(4):
            add("", size=BODY_SIZE)
        add(signature.get("name", ""), size=BODY_SIZE, bold=True)

    buffer = BytesIO()
    document.save(buffer)
    return buffer.getvalue()
