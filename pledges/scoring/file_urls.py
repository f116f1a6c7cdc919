"""The scoring files: the table as Excel (export, import) and the finalised ranking as Excel, PDF and Word."""

from django.urls import path

from . import file_views

urlpatterns = [
    path("scoring/<int:pk>/xlsx/", file_views.table_xlsx, name="table_xlsx"),
    path("scoring/<int:pk>/import/", file_views.table_import, name="table_import"),
    path("blocs/<int:pk>/ranking/<year:year>/xlsx/", file_views.ranking_xlsx, name="ranking_xlsx"),
    path("blocs/<int:pk>/ranking/<year:year>/pdf/", file_views.ranking_pdf, name="ranking_pdf"),
    path("blocs/<int:pk>/ranking/<year:year>/docx/", file_views.ranking_docx, name="ranking_docx"),
]
