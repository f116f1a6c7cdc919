"""The printed pledge (docs/architecture.md, "Documents"): context, number and rendering.

One function builds what the document prints; the draft preview, the copy for a paper ceremony and the
numbered final PDF all use it, so they never differ except in their number and the draft mark.
"""

from __future__ import annotations

from dataclasses import dataclass

from blocs.text import paragraphs
from documents.render import render_pdf
from documents.services import number_format

from .models import DOC_TYPE, PledgeSignatory, PledgeVersion, document_date

PLEDGE_TEMPLATE = "pledges/pledge_pdf.html"
DOC_TYPE_TEXT = "GIAO ƯỚC THI ĐUA"  # fixed legal wording, printed whatever the interface language

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


def block_rows(blocks: list[SignatureBlock]) -> list[list[SignatureBlock]]:
    """Two blocks per row, in protocol order."""
    return [blocks[i : i + 2] for i in range(0, len(blocks), 2)]


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


def pledge_document_context(*, version: PledgeVersion, number_text: str | None = None) -> dict:
    """Everything the pledge prints. ``number_text`` defaults to the issued number or "…/GU-<code>"."""
    pledge = version.pledge
    bloc = pledge.bloc
    blocks = signature_blocks(version)
    signed_dates = [s.signed_on for s in version.signatories.all() if s.signed_on] if not version.is_drafting else []
    day = document_date(version, signed_dates)
    return {
        "version": version,
        "pledge": pledge,
        "bloc": bloc,
        "header_lines": bloc.document_header(),
        "number_text": number_text or draft_number_text(version),
        "place": date_line_place(version),
        "issue_date": day,
        "doc_type": DOC_TYPE_TEXT,
        "subject": subject_line(version.title),
        # The draft mark only while the text may still change: the copy printed for a paper signing
        # ceremony (signing open, text frozen) must not say "DỰ THẢO" on the page the heads sign.
        "draft": version.is_drafting,
        "preamble": paragraphs(version.preamble),
        "sections": [
            {"number": roman(position), "heading": section.heading, "paragraphs": section.paragraphs()}
            for position, section in enumerate(version.sections.order_by("position"), start=1)
        ],
        "blocks": blocks,
        "block_rows": block_rows(blocks),
    }


def pledge_pdf_render(*, version: PledgeVersion, number_text: str | None = None) -> bytes:
    """The pledge as PDF bytes (A4, Decree 30 layout, Vietnamese)."""
    return render_pdf(PLEDGE_TEMPLATE, pledge_document_context(version=version, number_text=number_text))
