"""Admin for deployment administrators. Officers work in the portal's own pages; status changes go
through ``awards.services`` there, so proposals, decisions and events are read-only here."""

from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from .models import (
    AwardRule,
    AwardType,
    Decision,
    DecisionCorrection,
    Person,
    Proposal,
    ProposalEvent,
    Registration,
    Submission,
)


class AwardRuleInline(admin.TabularInline):
    model = AwardRule
    fk_name = "award_type"
    extra = 0


@admin.register(AwardType)
class AwardTypeAdmin(SimpleHistoryAdmin):
    list_display = ["name", "council", "recipient_kind", "level", "authority", "order", "active"]
    list_filter = ["council", "authority", "active"]
    search_fields = ["name", "code"]
    inlines = [AwardRuleInline]


@admin.register(Registration)
class RegistrationAdmin(SimpleHistoryAdmin):
    list_display = ["bloc", "year", "unit", "award_type"]
    list_filter = ["bloc__council", "year"]


@admin.register(Person)
class PersonAdmin(SimpleHistoryAdmin):
    list_display = ["name", "position", "unit"]
    search_fields = ["search_text"]


class ReadOnlyAdmin(SimpleHistoryAdmin):
    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False


class ProposalEventInline(admin.TabularInline):
    model = ProposalEvent
    extra = 0
    can_delete = False
    readonly_fields = ["from_status", "to_status", "by", "at", "reason", "submission", "decision"]

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(Proposal)
class ProposalAdmin(ReadOnlyAdmin):
    list_display = ["award_type", "year", "bloc", "unit", "collective_name", "person", "status", "source"]
    list_filter = ["council", "year", "status", "source"]
    inlines = [ProposalEventInline]


@admin.register(Submission)
class SubmissionAdmin(ReadOnlyAdmin):
    list_display = ["bloc", "year", "sequence", "submitted_on", "cover_letter"]


class DecisionCorrectionInline(admin.TabularInline):
    model = DecisionCorrection
    extra = 0
    can_delete = False
    readonly_fields = ["changes", "reason", "by", "at"]

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(Decision)
class DecisionAdmin(ReadOnlyAdmin):
    list_display = ["number", "date", "signer", "council", "external"]
    list_filter = ["council", "external"]
    inlines = [DecisionCorrectionInline]
