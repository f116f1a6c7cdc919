from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from .models import (
    Meeting,
    MeetingAttendance,
    MeetingBlocAward,
    MeetingGuest,
    MeetingProposalVote,
    MinutesScan,
    MinutesVersion,
)


class GuestInline(admin.TabularInline):
    model = MeetingGuest
    extra = 0


class AttendanceInline(admin.TabularInline):
    model = MeetingAttendance
    extra = 0
    raw_id_fields = ["unit"]


class VoteInline(admin.TabularInline):
    model = MeetingProposalVote
    extra = 0
    raw_id_fields = ["proposal"]


class BlocAwardInline(admin.TabularInline):
    model = MeetingBlocAward
    extra = 0
    raw_id_fields = ["proposal"]


@admin.register(Meeting)
class MeetingAdmin(SimpleHistoryAdmin):
    list_display = ["bloc", "kind", "year", "date", "status"]
    list_filter = ["bloc__council", "kind", "status", "year"]
    raw_id_fields = ["host_unit"]
    inlines = [GuestInline, AttendanceInline, VoteInline, BlocAwardInline]


@admin.register(MinutesVersion)
class MinutesVersionAdmin(SimpleHistoryAdmin):
    list_display = ["minutes", "number", "state", "document", "finalised_at"]
    list_filter = ["state"]
    readonly_fields = ["content", "document"]


@admin.register(MinutesScan)
class MinutesScanAdmin(SimpleHistoryAdmin):
    list_display = ["version", "kind", "size", "uploaded_by", "uploaded_at"]
