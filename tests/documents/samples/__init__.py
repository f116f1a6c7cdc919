"""The documents the demo prints, one module per app, for the format checker (``tests/documents/test_format.py``).

Each module here names the kinds it prints (``KINDS``) and builds them (``build()``, called once per test
worker with the demo loaded): a new printed document adds its module, nothing else.
"""

from __future__ import annotations

import copy
from dataclasses import dataclass, field
from datetime import date

from documents.content import DocumentContent
from documents.docx import content_docx
from documents.render import content_pdf

from .. import format_check as check

ISSUE_DAY = date(2021, 12, 28)


@dataclass
class Sample:
    content: DocumentContent
    number_text: str
    pdf: check.PdfDocument = field(init=False)
    docx: check.DocxDocument = field(init=False)
    docx_bytes: bytes = field(init=False, repr=False)

    def __post_init__(self) -> None:
        self.pdf = check.PdfDocument(content_pdf(self.content, number_text=self.number_text))
        self.docx_bytes = content_docx(self.content, number_text=self.number_text)
        self.docx = check.DocxDocument(self.docx_bytes)

    def measured_on(self, pdf: check.PdfDocument) -> Sample:
        """The same document, its PDF rules measured on another program's print of it."""
        other = copy.copy(self)
        other.pdf = pdf
        return other

    @property
    def signatures(self) -> list[tuple[str, ...]]:
        blocks = [self.content.signature_left, self.content.signature_right, *self.content.signature_grid]
        return [(*s.roles, *(d.upper() for d in s.details), s.name) for s in blocks if s]

    @property
    def closing_texts(self) -> list[str]:
        texts = [text for signature in self.signatures for text in signature]
        texts += ["Nơi nhận:", *self.content.recipients, self.content.signatures_heading]
        return [text for text in texts if text]

    @property
    def roles(self) -> list[str]:
        return [signature[0] for signature in self.signatures]
