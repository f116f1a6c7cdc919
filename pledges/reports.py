"""The pledges app's sources of the reports' tables (``blocs/reports.py``; registered in
``PledgesConfig.ready()``): how far each bloc's pledge for the year was signed."""

from __future__ import annotations

from typing import Any

from django.db.models import Count, Q
from django.utils.translation import gettext as _

from blocs.models import Council
from blocs.registry import ReportRows
from blocs.reporting import report_blocs

from .models import PledgeVersion

State = PledgeVersion.State


def signing_rows(council: Council, year: int) -> ReportRows:
    """Each bloc of the year and its pledge committing to ``year`` (giao ước thi đua): the state of the
    version that was put to signing — the newest one that left drafting, so a correction being drafted does
    not hide the signatures of the version in force — with how many member units were to sign it (its
    signature slots, frozen when signing opened) and how many signed. A pledge never put to signing has the
    year's member units to sign and none signed. One query, and the year's blocs (``report_blocs``, read
    once per report)."""
    blocs = report_blocs(council, year)
    versions: dict[int, dict[str, Any]] = {}
    rows = (
        PledgeVersion.objects.filter(pledge__bloc__in=blocs, pledge__year=year)
        .values("pledge__bloc_id", "number", "state")
        .annotate(
            slots=Count("signatories"), signed=Count("signatories", filter=Q(signatories__signed_on__isnull=False))
        )
        .order_by("pledge__bloc_id", "number")
    )
    for row in rows:  # by number: a later version wins, unless it is a draft and an earlier one was signed
        earlier = versions.get(row["pledge__bloc_id"])
        if row["state"] != State.DRAFTING or earlier is None or earlier["state"] == State.DRAFTING:
            versions[row["pledge__bloc_id"]] = row
    result = []
    for bloc in blocs:
        version = versions.get(bloc.pk)
        opened = version is not None and version["state"] != State.DRAFTING
        units = version["slots"] if opened and version is not None else bloc.member_count  # type: ignore[attr-defined]
        signed = version["signed"] if opened and version is not None else 0
        result.append(
            {
                "bloc": bloc.name,
                "state": str(State(version["state"]).label) if version is not None else _("No pledge"),
                "units": units,
                "signed": signed,
                "signed_percent": round(100 * signed / units) if units else 0,
            }
        )
    return ReportRows(rows=result)
