"""The printed pledge (docs/architecture.md, "Documents"): its content, number and file name, as PDF and Word.

One function builds what the document prints (``pledge_content``, a ``documents.content.DocumentContent``);
the draft preview, the copy for a paper ceremony, the numbered final PDF and the Word file all use it, so
they never differ except in their number and the draft mark.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from blocs.text import paragraphs
from documents.content import ADMINISTRATIVE, Block, DocumentContent, Signature
from documents.docx import content_docx
from documents.render import content_pdf, date_words, document_file_name
from documents.services import number_format
from documents.templatetags.documents import upper_vi

from .models import DOC_TYPE, PledgeSignatory, PledgeVersion, document_date

# Fixed legal wording, printed whatever the interface language.
DOC_TYPE_TEXT = "GIAO ƯỚC THI ĐUA"
SIGNATURES_HEADING = "ĐẠI DIỆN CÁC ĐƠN VỊ THÀNH VIÊN KÝ GIAO ƯỚC"

_ROMAN = [(10, "X"), (9, "IX"), (5, "V"), (4, "IV"), (1, "I")]


def roman(number: int) -> str:
    """1 → "I", 14 → "XIV": sections of Vietnamese documents are numbered in Roman numerals."""
    if number >= 40:  # a pledge never has that many sections; fall back rather than print nonsense
        return str(number)
    result = ""
    for value, letters in _ROMAN:
        while number >= value:
            result += letters
            number -= value
    return result


@dataclass
class SignatureBlock:
    """One unit's block: unit name and signatory's title (printed in capitals), the signatory's name.

    ``name`` is the head's typed name under the space for the signature, whether the unit has signed or
    not (a paper ceremony signs above it by hand); it is empty only when nobody knows the name, since the
    document never invents one.
    """

    unit_name: str
    title: str
    name: str
    signed: bool


def subject_line(title: str) -> str:
    """The bold line under "GIAO ƯỚC THI ĐUA": "Giao ước thi đua năm 2021" → "Năm 2021"."""
    head = "giao ước thi đua"
    if title.casefold().startswith(head):
        rest = title[len(head) :].strip(" :–-")
        return rest[:1].upper() + rest[1:]
    return title


def pledge_title_for_register(version: PledgeVersion) -> str:
    """The title of the issued document in the register: the pledge's title and its bloc."""
    pledge = version.pledge
    suffix = f" (lần {version.number})" if version.number > 1 else ""
    return f"{version.title} — {pledge.bloc.name}{suffix}"[:255]


def signatory_name(signatory: PledgeSignatory) -> str:
    """The name printed in a frozen signatory's block: the name frozen at the version (prefilled from the
    unit's head when signing opened, confirmed or corrected when the unit signed). An unsigned slot frozen
    without a name falls back on the unit's head as now recorded; a signed one never does, since someone
    else may have signed. Empty when neither is known."""
    if signatory.signatory_name or signatory.is_signed:
        return signatory.signatory_name
    return signatory.unit.head_name


def signature_blocks(version: PledgeVersion) -> list[SignatureBlock]:
    """A block per frozen signatory; before signing opens, per member of the year (all unsigned, with the
    unit's head as recorded now)."""
    if not version.is_drafting:
        return [
            SignatureBlock(
                unit_name=s.unit_name,
                title=s.signatory_title,
                name=signatory_name(s),
                signed=s.is_signed,
            )
            for s in version.signatories.select_related("unit").order_by("position")
        ]
    pledge = version.pledge
    return [
        SignatureBlock(unit_name=m.unit.name, title=m.unit.head_title, name=m.unit.head_name, signed=False)
        for m in pledge.bloc.members(pledge.year)
    ]


def draft_number_text(version: PledgeVersion) -> str:
    """ "…/GU-KTĐ6" until the version is issued, then its number."""
    if version.document_id:
        return version.document.number_text
    return number_format(number=None, doc_type=DOC_TYPE, issuer_code=version.pledge.bloc.code)


def date_line_place(version: PledgeVersion) -> str:
    """The place of the "<place>, ngày … tháng … năm …" line: that of the meeting the version was signed at,
    where one recorded the signing (it may have met elsewhere), else the council's place name."""
    signing = version.meeting_signings.select_related("meeting__bloc__council").order_by("id").first()
    if signing is not None:
        return signing.meeting.date_line_place_name
    return version.pledge.bloc.council.place_name


def version_date(version: PledgeVersion) -> date | None:
    """The date the version's document carries (``document_date``: signing date, last signature, day it became
    final); None for a draft without a signing date."""
    signed = [s.signed_on for s in version.signatories.all() if s.signed_on] if not version.is_drafting else []
    return document_date(version, signed)


def signing_sentence(version: PledgeVersion) -> str:
    """ "Giao ước này được ký kết tại <place>, ngày … và có hiệu lực kể từ ngày ký.", or "" when the version has
    neither a signing place nor a signing date (nothing is invented)."""
    if not (version.signing_place or version.signing_date):
        return ""
    where = f" tại {version.signing_place}" if version.signing_place else ""
    when = f", {date_words(version.signing_date)}" if version.signing_date else ""
    return f"Giao ước này được ký kết{where}{when} và có hiệu lực kể từ ngày ký."


def _signature(block: SignatureBlock) -> Signature:
    """A unit's block: its name and the signatory's title in capitals, the space to sign, the name (empty
    when unknown)."""
    return Signature(roles=[upper_vi(block.unit_name)], details=[block.title] if block.title else [], name=block.name)


def pledge_content(*, version: PledgeVersion) -> DocumentContent:
    """Everything the pledge prints except its number (``draft_number_text``): the header of the bloc, the
    preamble and the sections (Roman-numbered headings), the note that the text is attached on paper, the
    signing sentence and a signature block per unit. A version without a date (a draft without a signing
    date) prints the date line's blanks, to be filled in by hand."""
    bloc = version.pledge.bloc
    blocks = [Block("para", paragraph) for paragraph in paragraphs(version.preamble)]
    for position, section in enumerate(version.sections.order_by("position"), start=1):
        blocks.append(Block("heading", f"{roman(position)}. {section.heading}"))
        blocks.extend(Block("para", paragraph) for paragraph in section.paragraphs())
    if version.text_attached:
        # The bloc signs a paper text the portal does not hold: the document says so instead of inventing one.
        blocks.append(Block("note", "Nội dung giao ước kèm theo."))
    sentence = signing_sentence(version)
    if sentence:
        blocks.append(Block("para", sentence))
    return DocumentContent(
        kind=ADMINISTRATIVE,
        header=bloc.document_header(),
        place_name=date_line_place(version),
        date=version_date(version),
        doc_type=DOC_TYPE_TEXT,
        subject=subject_line(version.title),
        blocks=blocks,
        signatures_heading=SIGNATURES_HEADING,
        signature_grid=[_signature(block) for block in signature_blocks(version)],
        type_code=DOC_TYPE,
        issuer_code=bloc.code,
    )


def pledge_pdf_render(*, version: PledgeVersion, number_text: str | None = None) -> bytes:
    """The pledge as PDF bytes (A4, Decree 30 layout, Vietnamese). ``number_text`` defaults to the issued
    number or "…/GU-<code>"; "DỰ THẢO" is marked only while the text may still change: the copy printed for
    a paper signing ceremony (signing open, text frozen) must not say it on the page the heads sign."""
    content = pledge_content(version=version)
    return content_pdf(content, number_text=number_text or draft_number_text(version), draft=version.is_drafting)


def pledge_docx(*, version: PledgeVersion, number_text: str | None = None) -> bytes:
    """The pledge as an editable Word file: the same content and number as its PDF."""
    content = pledge_content(version=version)
    return content_docx(content, number_text=number_text or draft_number_text(version), draft=version.is_drafting)


def pledge_file_name(version: PledgeVersion, *, number_text: str, ext: str) -> str:
    """ "GU-01-KTD6-20201229.pdf", a draft's "GU-du-thao-KTD6-20201229.docx" (``document_file_name``)."""
    return document_file_name(
        type_code=DOC_TYPE,
        number_text=number_text,
        issuer_code=version.pledge.bloc.code,
        on=version_date(version),
        ext=ext,
    )
