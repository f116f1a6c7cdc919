"""Admin for deployment administrators: read and search pledges. Changes go through the pages and
``pledges.services`` (a final version never changes), so versions, signatories and scans are read-only."""

from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from .models import Pledge, PledgeScan, PledgeSection, PledgeSignatory, PledgeVersion


class ReadOnlyInline(admin.TabularInline):
    extra = 0
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False


class VersionInline(ReadOnlyInline):
    model = PledgeVersion
    fields = ["number", "state", "title", "reason", "finalised_at", "document"]
    readonly_fields = fields
    show_change_link = True


class SectionInline(ReadOnlyInline):
    model = PledgeSection
    fields = ["position", "heading", "body"]
    readonly_fields = fields


class SignatoryInline(ReadOnlyInline):
    model = PledgeSignatory
    fields = ["position", "unit_name", "signatory_title", "signatory_name", "signed_on", "method", "recorded_by"]
    readonly_fields = fields


class ScanInline(ReadOnlyInline):
    model = PledgeScan
    fields = ["file", "kind", "size", "sha256", "uploaded_by", "uploaded_at"]
    readonly_fields = fields


@admin.register(Pledge)
class PledgeAdmin(SimpleHistoryAdmin):
    list_display = ["bloc", "year", "created_at"]
    list_filter = ["bloc__council", "year"]
    search_fields = ["bloc__name", "bloc__code"]
    readonly_fields = ["bloc", "year", "copied_from", "created_by", "created_at"]
    inlines = [VersionInline]

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False  # signed pledges are records; nothing of them is deleted by hand


@admin.register(PledgeVersion)
class PledgeVersionAdmin(SimpleHistoryAdmin):
    list_display = ["pledge", "number", "state", "title", "finalised_at"]
    list_filter = ["state", "pledge__bloc__council"]
    search_fields = ["title", "pledge__bloc__name"]
    readonly_fields = [field.name for field in PledgeVersion._meta.fields]
    inlines = [SectionInline, SignatoryInline, ScanInline]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
