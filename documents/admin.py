"""Admin for the number registers and issued documents (deployment administrators only).

Issued documents are read-only here: a number is corrected through ``document_number_correct`` so the
register and the history stay consistent, and a PDF is never replaced by hand.
"""

from django.contrib import admin
from django.http import HttpRequest
from simple_history.admin import SimpleHistoryAdmin

from .models import DocumentCounter, IssuedDocument


@admin.register(DocumentCounter)
class DocumentCounterAdmin(SimpleHistoryAdmin):  # type: ignore[misc]  # django-simple-history has no types
    list_display = ["issuer", "doc_type", "year", "last_number"]
    list_filter = ["doc_type", "year"]
    search_fields = ["issuer"]


@admin.register(IssuedDocument)
class IssuedDocumentAdmin(SimpleHistoryAdmin):  # type: ignore[misc]  # django-simple-history has no types
    list_display = ["number_text", "year", "title", "issuer", "issued_at", "issued_by"]
    list_filter = ["doc_type", "year"]
    search_fields = ["number_text", "title", "issuer", "subject_key"]
    readonly_fields = [field.name for field in IssuedDocument._meta.fields]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False
