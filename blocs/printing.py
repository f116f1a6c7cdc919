"""What a bloc's printed documents say, for every app that prints one: the issuing-body lines above the
title, the chair's signature block, and the bloc's own document, the membership list of a year.

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

from documents.render import DOCUMENT_LANGUAGE

from .models import Bloc, Unit

MEMBERSHIP_LIST_TEMPLATE = "blocs/membership_list_pdf.html"
MEMBERSHIP_LIST_TYPE = "DS"  # danh sách


def membership_list_subject_key(bloc: Bloc, year: int) -> str:
    """The subject key of a bloc-year's membership lists (to find them among issued documents)."""
    return f"membership_list:bloc={bloc.pk}:year={year}"


def membership_list_subject(subject_key: str) -> tuple[int, int] | None:
    """The bloc-year of an issued membership list (``registry.document_subject``), read from its key."""
    match = re.fullmatch(r"membership_list:bloc=([0-9]{1,18}):year=([0-9]{4})", subject_key)
    return (int(match[1]), int(match[2])) if match else None


def document_header_lines(bloc: Bloc) -> list[str]:
    """The issuing-body lines of a bloc's documents: the council's parent body above the bloc's lines.

    A bloc that sets its own lines gets exactly those.
    """
    lines = bloc.header_lines()
    if bloc.issuing_lines.strip() or not bloc.council.parent_body:
        return lines
    return [bloc.council.parent_body, *lines]


def chair_signature(bloc: Bloc, chair_unit: Unit | None) -> dict | None:
    """TM. KHỐI THI ĐUA / KHỐI TRƯỞNG (TM. CỤM THI ĐUA / CỤM TRƯỞNG), the space to sign, the head's name.

    Decree 30/2020 prints nothing between the signer's title and the name: no unit, no head title (the
    key "details" stays, empty, for the shared signature layout)."""
    if chair_unit is None:
        return None
    # Fixed legal wording, Vietnamese whatever the interface language.
    if bloc.kind == Bloc.Kind.CLUSTER:
        roles = ["TM. CỤM THI ĐUA", "CỤM TRƯỞNG"]
    else:
        roles = ["TM. KHỐI THI ĐUA", "KHỐI TRƯỞNG"]
    return {"roles": roles, "details": [], "name": chair_unit.head_name}


def membership_list_context(*, bloc: Bloc, year: int, today: date) -> dict:
    """Everything the membership list prints except its number (added per render)."""
    with translation.override(DOCUMENT_LANGUAGE):
        seats = list(bloc.seats_of(year))
        vice_count = sum(1 for seat in seats if seat.rank > 0)
        seat_by_unit = {seat.unit_id: bloc.seat_label(seat.rank, vice_count) for seat in seats}
        rows = [{"unit": m.unit, "seat": seat_by_unit.get(m.unit_id, "")} for m in bloc.members(year)]
    chair_unit = next((seat.unit for seat in seats if seat.rank == 0), None)
    in_cluster = bloc.kind == Bloc.Kind.CLUSTER
    return {
        "bloc": bloc,
        "year": year,
        "header_lines": document_header_lines(bloc),
        "place": bloc.council.place_name,
        "issue_date": today,
        "doc_type": "DANH SÁCH",
        "subject": f"Đơn vị thành viên {bloc.name} năm {year}",
        "seat_heading": "Chức danh trong cụm" if in_cluster else "Chức danh trong khối",
        "rows": rows,
        "signature_right": chair_signature(bloc, chair_unit),
    }


def membership_list_snapshot(context: dict) -> str:
    """A checksum of everything the membership list prints except its number and date: the same list
    issued again is the copy already issued (``blocs.services.membership_list_issue``)."""
    printed = {
        "header": context["header_lines"],
        "place": context["place"],
        "subject": context["subject"],
        "seat_heading": context["seat_heading"],
        "rows": [
            [row["unit"].pk, row["unit"].name, row["seat"], row["unit"].head_name, row["unit"].head_title]
            for row in context["rows"]
        ],
        "signature": context["signature_right"],
    }
    return hashlib.sha256(json.dumps(printed, ensure_ascii=False, sort_keys=True).encode()).hexdigest()
