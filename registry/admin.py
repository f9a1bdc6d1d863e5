from django.contrib import admin

from .models import (
    Channel,
    ChannelChange,
    ChannelReview,
    Documentation,
    DocumentationFile,
    GuidelineVersion,
    HistoryEntry,
    Mandate,
    Platform,
    PoliticianLink,
    ReminderSent,
    Unit,
)


class ReadOnlyAdmin(admin.ModelAdmin):
    """Records change only through the application's services, where every change is kept as history."""

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    def get_actions(self, request):
        return {}  # not even "delete selected"


@admin.register(Unit)
class UnitAdmin(admin.ModelAdmin):
    list_display = ["name", "slug", "registrar_email", "is_active"]
    list_filter = ["is_active"]
    search_fields = ["name"]
    prepopulated_fields = {"slug": ["name"]}
    filter_horizontal = ["managers"]


@admin.register(Platform)
class PlatformAdmin(admin.ModelAdmin):
    list_display = ["name", "slug", "sort_order"]


@admin.register(Channel)
class ChannelAdmin(ReadOnlyAdmin):
    """Read-only: channels change through the application, where every change is kept as history."""

    list_display = ["name", "platform", "unit", "status", "is_published"]
    list_filter = ["status", "is_published", "platform", "unit"]
    search_fields = ["name", "url", "handle"]


@admin.register(ChannelChange)
class ChannelChangeAdmin(ReadOnlyAdmin):
    """Read-only: a proposed change of address is decided by the web team in the application."""

    list_display = ["channel", "url", "platform", "status", "proposed_by", "proposed_at"]
    list_filter = ["status"]
    search_fields = ["url", "channel__name"]
    list_select_related = ["channel", "platform", "proposed_by"]


@admin.register(HistoryEntry)
class HistoryEntryAdmin(ReadOnlyAdmin):
    list_display = ["created_at", "action", "content_type", "object_id", "actor"]
    list_filter = ["action", "content_type"]


@admin.register(Mandate)
class MandateAdmin(ReadOnlyAdmin):
    list_display = ["employee", "channel", "role", "valid_from", "valid_until", "acknowledged_at", "revoked_at"]
    list_filter = ["role", "channel__unit"]
    search_fields = ["employee__username", "employee__last_name", "channel__name"]
    list_select_related = ["employee", "channel", "channel__platform"]


@admin.register(GuidelineVersion)
class GuidelineVersionAdmin(ReadOnlyAdmin):
    list_display = ["sha256", "first_seen"]


@admin.register(ReminderSent)
class ReminderSentAdmin(ReadOnlyAdmin):
    list_display = ["sent_at", "kind", "key", "recipient"]
    list_filter = ["kind"]


@admin.register(PoliticianLink)
class PoliticianLinkAdmin(ReadOnlyAdmin):
    list_display = ["politician", "party", "kind", "url", "is_published", "withdrawn_at"]
    list_filter = ["kind", "is_published"]
    search_fields = ["politician", "party", "url"]


class DocumentationFileInline(admin.TabularInline):
    model = DocumentationFile
    fields = ["original_name", "content_type", "size", "sha256"]
    readonly_fields = fields
    extra = 0
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(Documentation)
class DocumentationAdmin(ReadOnlyAdmin):
    list_display = ["channel", "documented_on", "reason", "created_by"]
    list_filter = ["reason"]
    inlines = [DocumentationFileInline]


@admin.register(ChannelReview)
class ChannelReviewAdmin(ReadOnlyAdmin):
    list_display = ["channel", "reviewed_on", "still_needed", "purpose_ok", "writers_ok", "reviewed_by"]
