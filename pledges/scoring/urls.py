"""Scoring and ranking pages (namespace ``scoring``): the bloc-year's table and ranking under
``blocs/<bloc>/scoring/<year>/`` and ``blocs/<bloc>/ranking/<year>/``, actions on a table, a sheet or a
ranking under ``scoring/…``. The files (Excel, PDF, Word) are in ``file_urls``."""

from django.urls import path

from . import file_urls, views

app_name = "scoring"

urlpatterns = [
    path("blocs/<int:pk>/scoring/<year:year>/", views.scoring_detail, name="scoring_detail"),
    *file_urls.urlpatterns,
]
