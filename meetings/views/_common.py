"""What the meetings pages share: finding the meeting for a user (404 to whoever may not see its bloc,
403 to whoever may not read or manage its year), the minutes version, errors shown, file names."""

from __future__ import annotations

from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.shortcuts import get_object_or_404

from blocs import access
from blocs.web import bloc_record_or_404
from documents.render import document_file_name

from ..models import DOC_TYPE, Meeting, MinutesVersion


def _meeting_for_reading(user, pk: int) -> Meeting:
    """The meeting: 404 to anyone who may not see its bloc, 403 to whoever may not read its year."""
    return bloc_record_or_404(
        Meeting.objects.select_related("bloc__council", "host_unit"), user=user, pk=pk, may=access.can_read_bloc_year
    )


def _meeting_for_managing(user, pk: int, related: tuple[str, ...] = ()) -> Meeting:
    """The meeting: 404 to anyone who may not see its bloc, 403 to whoever may not manage its year;
    ``related``: what else the page reads of it, in the same query (e.g. its one-to-one election)."""
    return bloc_record_or_404(
        Meeting.objects.select_related("bloc__council", "host_unit", *related),
        user=user,
        pk=pk,
        may=access.can_manage_bloc_year,
    )


def _version(meeting: Meeting, number: int) -> MinutesVersion:
    return get_object_or_404(
        MinutesVersion.objects.select_related("document", "minutes"), minutes__meeting=meeting, number=number
    )


def _attach(form, error_list, field: str | None) -> None:
    """``error_list`` next to ``field`` of ``form``, or on top of it when the form has no such field.

    Not ``blocs.web.attach_errors``, on purpose: that one takes a whole ValidationError for ONE form,
    while the meetings services key the errors of a formset row by the row ("votes-2-votes_for",
    ``services.ROW_KEY``), so the results and schedule views first pick the row's form and then attach
    one field's messages to it; the correction and scan pages put every message under their only field
    (attach_errors would put the non-field ones on top). The shared part is this one ``add_error`` line,
    which follows the same rule as attach_errors (unknown field: on top); a shared row-aware helper in
    blocs.web would serve only the meetings row convention, so it stays here.
    """
    form.add_error(field if field in form.fields else None, error_list)


def _error_dict(error: ValidationError) -> dict[str, list[str]]:
    """A service's error by field; an error of the whole thing under ``__all__``."""
    return error.message_dict if hasattr(error, "error_dict") else {NON_FIELD_ERRORS: error.messages}


def _file_name(meeting: Meeting, version: MinutesVersion | None, ext: str) -> str:
    """The documents' one scheme (``documents.render.document_file_name``): ``BB-01-KTD6-20211228.pdf``
    once numbered, ``BB-du-thao-KTD6-20211228.pdf`` before; a later version says which (``-v2``)."""
    number_text = version.document.number_text if version is not None and version.document_id else ""
    name = document_file_name(
        type_code=DOC_TYPE, number_text=number_text, issuer_code=meeting.bloc.code, on=meeting.date, ext=ext
    )
    if version is not None and version.number > 1:
        stem, dot, extension = name.rpartition(".")
        name = f"{stem}-v{version.number}{dot}{extension}"
    return name
