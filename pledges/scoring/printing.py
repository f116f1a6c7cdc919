"""The printed ranking, "BẢNG TỔNG HỢP KẾT QUẢ CHẤM ĐIỂM THI ĐUA" (docs/architecture.md, "Documents").

One function builds what it prints (``ranking_content``, a ``documents.content.DocumentContent``): the
bloc's header, the rows of the final ranking as stored when it was finalised (``RankingEntry``), in rank
order, and the signature of the chair of the year (``blocs.printing.chair_signature``: TM. KHỐI THI ĐUA /
KHỐI TRƯỞNG, or the cluster's words). The PDF and the Word file both write it, so they never differ.

It is a table of results, not an issued document: it takes no number from a register. Its date is the day
the ranking was finalised; a ranking entered directly was decided outside the portal on a day the portal
does not know, so its date line is left blank to be written by hand, as every unknown value prints nothing.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from django.utils import timezone, translation

from blocs.models import Bloc
from blocs.printing import chair_signature
from blocs.text import paragraphs
from documents.content import ADMINISTRATIVE, Block, Column, DocumentContent, Signature
from documents.docx import content_docx
from documents.render import DOCUMENT_LANGUAGE, content_pdf, document_file_name

from .models import Ranking, RankingEntry, ScoringTable
from .services import points_text
from .spreadsheets import entry_self_total, joined_words

# Fixed legal wording, printed whatever the interface language.
DOC_TYPE_TEXT = "BẢNG TỔNG HỢP KẾT QUẢ CHẤM ĐIỂM THI ĐUA"
FILE_TYPE = "KQ"  # the file name's type part (kết quả); the document itself has no number


def _points(value: Decimal | None) -> str:
    """ "82,5", "−3": a score as Vietnamese writes it; an unknown one is an empty cell."""
    return points_text(value) if value is not None else ""


def _note(entry: RankingEntry, bloc: Bloc, year: int) -> str:
    notes = []
    if entry.not_ranked:
        notes.append(f"Không xếp hạng: {str(RankingEntry.NotRanked(entry.not_ranked).label).lower()}")
    if entry.joined_during_year:
        notes.append(joined_words(bloc, year))
    return "\n".join(notes)


def _table(ranking: Ranking, entries: list[RankingEntry], bloc: Bloc) -> Block:
    """The rows: a computed ranking's self and review totals (the review total is the final score), a
    direct one's score where it was entered (no column when none was); the rank; the notes."""
    computed = ranking.method == Ranking.Method.COMPUTED
    scored = computed or any(entry.final_score is not None for entry in entries)
    columns = [Column("TT", 10, "center"), Column("Tên đơn vị")]
    if computed:
        columns += [Column("Điểm tự chấm", 22, "right"), Column("Điểm thẩm định", 24, "right")]
    elif scored:
        columns.append(Column("Điểm", 22, "right"))
    columns += [Column("Xếp hạng", 18, "center"), Column("Ghi chú", 38)]
    rows = []
    for order, entry in enumerate(entries, start=1):
        row = [str(order), entry.unit_name]
        if computed:
            row += [_points(entry_self_total(entry)), _points(entry.review_total)]
        elif scored:
            row.append(_points(entry.final_score))
        row += [str(entry.rank) if entry.rank else "", _note(entry, bloc, ranking.year)]
        rows.append(row)
    return Block("table", columns=columns, rows=rows, size_pt=13 if len(rows) <= 20 else 12)


def _tie_rule_line(ranking: Ranking) -> str:
    if not ranking.tie_rule:
        return ""
    label = str(ScoringTable.TieRule(ranking.tie_rule).label)
    return f"Khi bằng điểm: {label[:1].lower()}{label[1:]}."


def ranking_date(ranking: Ranking) -> date | None:
    """The day the document carries: the finalisation of a computed ranking; unknown for one entered directly."""
    if ranking.method == Ranking.Method.DIRECT:
        return None
    return timezone.localdate(ranking.finalised_at)


def ranking_content(*, ranking: Ranking, bloc: Bloc) -> DocumentContent:
    """The bloc-year's stored ranking as printed: the rows in the order finalised (ranked units in rank
    order, then the others with the reason), the count, the tie rule of a computed ranking, the note of one
    entered directly, and the signature of the year's chair (none when the year has no chair). One query
    besides the ranking's entries (``selectors.ranking_stored`` prefetches them) and the bloc's council: the
    year's seats."""
    with translation.override(DOCUMENT_LANGUAGE):
        entries = list(ranking.entries.all())
        chair = next((seat.unit for seat in bloc.seats_of(ranking.year) if seat.rank == 0), None)
        blocks = [_table(ranking, entries, bloc)] if entries else [Block("plain", "Không có đơn vị thành viên.")]
        ranked = sum(1 for entry in entries if entry.rank)
        blocks.append(Block("plain", f"Tổng số: {len(entries)} đơn vị, trong đó {ranked} đơn vị được xếp hạng."))
        tie_rule = _tie_rule_line(ranking)
        if tie_rule:
            blocks.append(Block("plain", tie_rule))
        blocks += [Block("para", paragraph) for paragraph in paragraphs(ranking.note)]
    return DocumentContent(
        kind=ADMINISTRATIVE,
        header=bloc.document_header(),
        place_name=bloc.council.place_name,
        date=ranking_date(ranking),
        doc_type=DOC_TYPE_TEXT,
        subject=f"Năm {ranking.year}",
        blocks=blocks,
        signature_right=Signature.of(chair_signature(bloc, chair)),
        type_code=FILE_TYPE,
        issuer_code=bloc.code,
        numbered=False,
    )


def ranking_pdf(*, ranking: Ranking, bloc: Bloc) -> bytes:
    return content_pdf(ranking_content(ranking=ranking, bloc=bloc))


def ranking_docx(*, ranking: Ranking, bloc: Bloc) -> bytes:
    """The same content as the PDF, as an editable Word file."""
    return content_docx(ranking_content(ranking=ranking, bloc=bloc))


def ranking_file_name(*, ranking: Ranking, bloc: Bloc, ext: str) -> str:
    """ "KQ-2021-KTD6-20220105.pdf": the year it ranks, the bloc, the day it carries (none when unknown)."""
    return document_file_name(
        type_code=f"{FILE_TYPE}-{ranking.year}",
        number_text=None,
        issuer_code=bloc.code,
        on=ranking_date(ranking),
        ext=ext,
    )
