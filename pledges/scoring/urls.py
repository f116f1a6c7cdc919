"""Scoring and ranking pages (namespace ``scoring``): the bloc-year's table and ranking under
``blocs/<bloc>/scoring/<year>/`` and ``blocs/<bloc>/ranking/<year>/``, actions on a table, a group, a
criterion, a sheet or a ranking under ``scoring/…``. The files (Excel, PDF, Word) are in ``file_urls``."""

from django.urls import path

from . import file_urls, views

app_name = "scoring"

urlpatterns = [
    path("blocs/<int:pk>/scoring/<year:year>/", views.scoring_detail, name="scoring_detail"),
    path("blocs/<int:pk>/scoring/<year:year>/new/", views.table_create, name="table_create"),
    path("scoring/<int:pk>/settings/", views.settings_save, name="settings_save"),
    path("scoring/<int:pk>/groups/new/", views.group_add, name="group_add"),
    path("scoring/<int:pk>/open/", views.scoring_open, name="scoring_open"),
    path("scoring/<int:pk>/reviewers/", views.reviewers, name="reviewers"),
    path("scoring/<int:pk>/finalise/", views.ranking_finalise, name="ranking_finalise"),
    path("scoring/groups/<int:pk>/edit/", views.group_edit, name="group_edit"),
    path("scoring/groups/<int:pk>/remove/", views.group_remove, name="group_remove"),
    path("scoring/groups/<int:pk>/move/", views.group_move, name="group_move"),
    path("scoring/groups/<int:pk>/criteria/new/", views.criterion_add, name="criterion_add"),
    path("scoring/criteria/<int:pk>/edit/", views.criterion_edit, name="criterion_edit"),
    path("scoring/criteria/<int:pk>/remove/", views.criterion_remove, name="criterion_remove"),
    path("scoring/criteria/<int:pk>/move/", views.criterion_move, name="criterion_move"),
    path("scoring/sheets/<int:pk>/", views.sheet_detail, name="sheet_detail"),
    path("scoring/sheets/<int:pk>/submit/", views.sheet_submit, name="sheet_submit"),
    path("scoring/sheets/<int:pk>/return/", views.sheet_return, name="sheet_return"),
    path("scoring/sheets/<int:pk>/evidence/", views.evidence_upload, name="evidence_upload"),
    path("scoring/evidence/<int:pk>/", views.evidence_download, name="evidence_download"),
    path("blocs/<int:pk>/ranking/<year:year>/", views.ranking_detail, name="ranking_detail"),
    path("blocs/<int:pk>/ranking/<year:year>/enter/", views.ranking_enter, name="ranking_enter"),
    path("rankings/<int:pk>/reopen/", views.ranking_reopen, name="ranking_reopen"),
    *file_urls.urlpatterns,
]
