"""Scoring and ranking pages. Thin: find the object, check permission (``pledges.scoring.access``), call a
service, redirect. The rules: docs/domain.md, "Scoring and ranking"."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import get_object_or_404, render
from django.views.decorators.http import require_safe

from blocs import access as bloc_access
from blocs.models import Bloc
from blocs.web import bloc_year_or_404

from . import access


@require_safe
def scoring_detail(request, pk: int, year: int):
    bloc = get_object_or_404(Bloc.objects.select_related("council"), pk=pk)
    if not bloc_access.can_view_bloc(request.user, bloc):
        raise Http404
    bloc_year_or_404(bloc, year)
    if not access.can_read_scoring(request.user, bloc, year):
        raise PermissionDenied
    return render(request, "scoring/scoring_detail.html", {"bloc": bloc, "year": year})
