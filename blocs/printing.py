"""What a bloc's printed documents say, for every app that prints one: the chair's signature block, and
the bloc's own document, the membership list of a year (the issuing body is ``Bloc.document_header``).

Public, so that pledges, awards and meetings print the same header and signature as the bloc; the views
that render and issue the membership list are in ``blocs.print_views``. The wording printed here is fixed
administrative Vietnamese, whatever the interface language.
"""

from __future__ import annotations

import hashlib
import json
import re
from datetime import date

from django.utils import translation

from documents.content import ADMINISTRATIVE, Block, Column, DocumentContent, Signature
from documents.render import DOCUMENT_LANGUAGE

from .models import Bloc, Unit
from .text import paragraphs

MEMBERSHIP_LIST_TYPE = "DS"  # danh sách


def membership_list_subject_key(bloc: Bloc, year: int) -> str:
    """The subject key of a bloc-year's membership lists (to find them among issued documents)."""
    return f"membership_list:bloc={bloc.pk}:year={year}"


def membership_list_subject(subject_key: str) -> tuple[int, int] | None:
    """The bloc-year of an issued membership list (``registry.document_subject``), read from its key."""
    match = re.fullmatch(r"membership_list:bloc=([0-9]{1,18}):year=([0-9]{4})", subject_key)
    return (int(match[1]), int(match[2])) if match else None


def chair_signature(bloc: Bloc, chair_unit: Unit | None) -> dict | None:
    """TM. KHỐI THI ĐUA / KHỐI TRƯỞNG (TM. CỤM THI ĐUA / CỤM TRƯỞNG), the space to sign, the head's name.

    Decree 30/2020 prints nothing between the signer's title and the name: no unit, no head title (the
    key "details" stays, empty, for the shared signature layout)."""
    if chair_unit is None:
        return None
    # Fixed legal wording, Vietnamese whatever the interface language, unless an officer set the bloc's.
    if bloc.signer_lines.strip():
        roles = paragraphs(bloc.signer_lines)
    elif bloc.kind == Bloc.Kind.CLUSTER:
        roles = ["TM. CỤM THI ĐUA", "CỤM TRƯỞNG"]
    else:
        roles = ["TM. KHỐI THI ĐUA", "KHỐI TRƯỞNG"]
    return {"roles": roles, "details": [], "name": chair_unit.head_name}


def membership_list_content(*, bloc: Bloc, year: int, today: date) -> DocumentContent:
    """The membership list of a bloc-year (danh sách đơn vị thành viên), as printed except its number:
    the member units in protocol order, each one's seat that year and its head."""
    with translation.override(DOCUMENT_LANGUAGE):
        seats = list(bloc.seats_of(year))
        vice_count = sum(1 for seat in seats if seat.rank > 0)
        seat_by_unit = {seat.unit_id: bloc.seat_label(seat.rank, vice_count) for seat in seats}
        members = list(bloc.members(year))
    chair_unit = next((seat.unit for seat in seats if seat.rank == 0), None)
    in_cluster = bloc.kind == Bloc.Kind.CLUSTER
    rows = [
        [str(order), m.unit.name, seat_by_unit.get(m.unit_id, ""), m.unit.head_name, m.unit.head_title]
        for order, m in enumerate(members, start=1)
    ]
    columns = [
        Column("TT", 10, "center"),
        Column("Tên đơn vị"),
        Column("Chức danh trong cụm" if in_cluster else "Chức danh trong khối", 28, "center"),
        Column("Thủ trưởng đơn vị", 43),
        Column("Chức vụ", 28),
    ]
    blocks = [Block("table", columns=columns, rows=rows)] if rows else [Block("plain", "Không có đơn vị thành viên.")]
    blocks.append(Block("plain", f"Tổng số: {len(rows)} đơn vị."))
    return DocumentContent(
        kind=ADMINISTRATIVE,
        header=bloc.document_header(),
        place_name=bloc.council.place_name,
        date=today,
        doc_type="DANH SÁCH",
        subject=f"Đơn vị thành viên {bloc.name} năm {year}",
        blocks=blocks,
        signature_right=Signature.of(chair_signature(bloc, chair_unit)),
        type_code=MEMBERSHIP_LIST_TYPE,
        issuer_code=bloc.code,
    )


def membership_list_snapshot(content: DocumentContent) -> str:
    """A checksum of everything the membership list prints except its number and date: the same list
    issued again is the copy already issued (``blocs.services.membership_list_issue``)."""
    printed = content.as_dict()
    printed.pop("date")
    return hashlib.sha256(json.dumps(printed, ensure_ascii=False, sort_keys=True).encode()).hexdigest()
