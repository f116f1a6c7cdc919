from django.contrib import admin
from django.contrib.auth.admin import UserAdmin
from django.utils.translation import gettext_lazy as _
from simple_history.admin import SimpleHistoryAdmin

from .models import Bloc, Council, Membership, Seat, SeatWrite, Unit, User

# Django's defaults say "Django administration" / "Django site admin" (translated as "Trang web admin Django").
admin.site.site_header = _("Emulation and rewards portal: administration")
admin.site.site_title = _("Administration")
admin.site.index_title = _("Data administration")


@admin.register(Council)
class CouncilAdmin(SimpleHistoryAdmin):
    list_display = ["name", "level", "current_year"]


@admin.register(Unit)
class UnitAdmin(SimpleHistoryAdmin):
    list_display = ["name", "code", "council", "kind", "active"]
    list_filter = ["council", "kind", "active"]
    search_fields = ["search_text", "code"]


class MembershipInline(admin.TabularInline):
    model = Membership
    extra = 0
    autocomplete_fields = ["unit"]


@admin.register(Bloc)
class BlocAdmin(SimpleHistoryAdmin):
    list_display = ["name", "code", "council", "kind", "active"]
    list_filter = ["council", "kind"]
    inlines = [MembershipInline]


@admin.register(Seat)
class SeatAdmin(SimpleHistoryAdmin):
    list_display = ["bloc", "year", "rank", "unit"]
    list_filter = ["bloc__council", "year"]


@admin.register(SeatWrite)
class SeatWriteAdmin(admin.ModelAdmin):
    list_display = ["bloc", "year", "source", "written_by", "written_at"]


@admin.register(User)
class PortalUserAdmin(UserAdmin, SimpleHistoryAdmin):
    fieldsets = [*UserAdmin.fieldsets, ("Portal", {"fields": ["council", "unit", "position"]})]
    list_display = ["username", "last_name", "first_name", "council", "unit", "is_active"]
    list_filter = ["council", "is_active", "is_superuser"]
