"""What a printed document says, built once and written twice: as a PDF (``documents.render.content_pdf``)
and as an editable Word file (``documents.docx.content_docx``), so the two never drift apart.

A document is its header (issuing body, number, place and date), its type and subject, a list of body
blocks (paragraphs, headings, list lines, tables) and its closing (signatures, "Nơi nhận"). Every app builds
the ``DocumentContent`` of its own documents from its records; the renderers know nothing of blocs or
awards. ``DocumentContent`` is JSON-serialisable (``as_dict`` / ``from_dict``), so a finalised document can
keep exactly what it printed.

Three kinds (docs/architecture.md, "Documents"): an administrative document (membership list, pledge, cover
letter, minutes …) has the national header; an annex (the council's proposal list) and a plain document (the
news draft) keep the font, margins and page numbers but print no national header.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from datetime import date
from typing import Any

ADMINISTRATIVE = "administrative"
ANNEX = "annex"
PLAIN = "plain"

# Block styles. heading: bold, no indent; subheading: bold; both stay on the page of what follows them.
# bold: a bold statement that stands alone ("3. Chủ tọa Hội nghị: …."), so it does not pull the next
# lines to a new page; para: justified with a first-line indent; item: a "- " list line; note: italic;
# center: a centred line ("Kính gửi: …"); plain: no indent; table: ``columns`` and ``rows``.
BLOCK_STYLES = ("heading", "subheading", "bold", "para", "item", "note", "center", "plain", "table")


@dataclass
class Column:
    """A table column: its heading, its width in millimetres (None: what the others leave), its alignment."""

    heading: str
    width_mm: float | None = None
    align: str = "left"  # left | center | right


# A table's text size: 13 pt, or 12 pt for a long list (the Decree's range for tables; a smaller size
# also means fewer pages, and the PDF engine's time follows the pages).
TABLE_SIZES = (13, 12)


@dataclass
class Block:
    style: str
    text: str = ""
    columns: list[Column] = field(default_factory=list)
    rows: list[list[str]] = field(default_factory=list)
    size_pt: int = 13

    def __post_init__(self) -> None:
        if self.style not in BLOCK_STYLES:
            raise ValueError(f"Unknown block style {self.style!r}")
        if self.size_pt not in TABLE_SIZES:
            raise ValueError(f"A table's size is one of {TABLE_SIZES}, not {self.size_pt}")


@dataclass
class Signature:
    """A signature block: bold role lines ("TM. KHỐI THI ĐUA", "KHỐI TRƯỞNG"), optional detail lines, the
    space to sign, the name in bold. An unknown name prints as nothing (never an invented one)."""

    roles: list[str] = field(default_factory=list)
    details: list[str] = field(default_factory=list)
    name: str = ""

    @classmethod
    def of(cls, value: Signature | dict[str, Any] | None) -> Signature | None:
        if value is None or isinstance(value, Signature):
            return value
        return cls(
            roles=list(value.get("roles", [])), details=list(value.get("details", [])), name=value.get("name", "")
        )


@dataclass
class Header:
    """The issuing body, top left: the direct parent body's lines (regular) above the issuing body's (bold).

    Exact lines (``parent_exact``, ``body_exact``) are printed as an officer set them, each on one line;
    otherwise a line too long for the column is broken between words, balanced
    (``documents.header.header_layout``).
    """

    parent_lines: list[str] = field(default_factory=list)
    body_lines: list[str] = field(default_factory=list)
    parent_exact: bool = False
    body_exact: bool = False

    @classmethod
    def load(cls, data: dict[str, Any]) -> Header:
        values = dict(data)
        exact = values.pop("exact", None)  # the first form kept one flag for both
        if exact is not None:
            values.setdefault("parent_exact", exact)
            values.setdefault("body_exact", exact)
        return cls(**values)

    @classmethod
    def from_lines(cls, lines: list[str], *, exact: bool = False) -> Header:
        """The historic one-list form: with two or more lines the first is the parent body."""
        lines = [line for line in lines if line.strip()]
        if len(lines) >= 2:
            return cls(parent_lines=lines[:1], body_lines=lines[1:], parent_exact=exact, body_exact=exact)
        return cls(parent_lines=[], body_lines=lines, parent_exact=exact, body_exact=exact)

    @classmethod
    def parse(cls, text: str) -> Header:
        """An officer's exact lines: the parent body's lines, an empty line, the issuing body's lines.

        Without an empty line, the first line is the parent body and the others the issuing body.
        """
        text = text.replace("\r\n", "\n").replace("\r", "\n").strip()
        if "\n\n" in text:
            parent, _sep, body = text.partition("\n\n")
            return cls(
                parent_lines=[line.strip() for line in parent.split("\n") if line.strip()],
                body_lines=[line.strip() for line in body.split("\n") if line.strip()],
                parent_exact=True,
                body_exact=True,
            )
        return cls.from_lines([line.strip() for line in text.split("\n")], exact=True)

    def lines(self) -> list[str]:
        return [*self.parent_lines, *self.body_lines]


@dataclass
class DocumentContent:
    """A document as printed, except its number (``number_text`` is given per render: a draft's "…/BB-KTĐ6"
    or the issued "01/BB-KTĐ6")."""

    kind: str
    header: Header
    place_name: str
    date: date | None
    doc_type: str
    subject: str = ""
    blocks: list[Block] = field(default_factory=list)
    signature_left: Signature | None = None
    signature_right: Signature | None = None
    recipients: list[str] = field(default_factory=list)
    # Many signers (the pledge's member units): a heading and a block per signer, two per row.
    signatures_heading: str = ""
    signature_grid: list[Signature] = field(default_factory=list)
    # The file name's parts (``documents.render.document_file_name``): the type code and the issuer's code.
    type_code: str = ""
    issuer_code: str = ""
    # A document without a number (the news draft, the proposal list annex) prints no "Số:" line.
    numbered: bool = True
    landscape: bool = False

    def __post_init__(self) -> None:
        self.signature_left = Signature.of(self.signature_left)
        self.signature_right = Signature.of(self.signature_right)
        self.signature_grid = [Signature.of(signature) for signature in self.signature_grid]  # type: ignore[misc]

    @property
    def national_header(self) -> bool:
        return self.kind == ADMINISTRATIVE

    def as_dict(self) -> dict[str, Any]:
        data = asdict(self)
        data["date"] = self.date.isoformat() if self.date else None
        return data

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> DocumentContent:
        values = dict(data)
        values["date"] = date.fromisoformat(values["date"]) if values.get("date") else None
        values["header"] = Header.load(values["header"])
        values["blocks"] = [
            Block(
                style=block["style"],
                text=block.get("text", ""),
                columns=[Column(**column) for column in block.get("columns", [])],
                rows=[list(row) for row in block.get("rows", [])],
                size_pt=block.get("size_pt", 13),
            )
            for block in values.get("blocks", [])
        ]
        return cls(**values)

    def text(self) -> str:
        """The body as plain text (tests and search)."""
        parts: list[str] = []
        for block in self.blocks:
            if block.style == "table":
                parts.append(" | ".join(column.heading for column in block.columns))
                parts.extend(" | ".join(row) for row in block.rows)
            else:
                parts.append(block.text)
        return "\n".join(parts)


def recipients_punctuated(lines: list[str]) -> list[str]:
    """ "Nơi nhận" items as the Decree writes them: each ends with ";", the last with "." """
    items = [line.strip().rstrip(";.").rstrip() for line in lines if line.strip()]
    return [f"{item};" for item in items[:-1]] + [f"{item}." for item in items[-1:]]
