from django.contrib import admin

from .models import (
    Channel,
    ChannelReview,
    Documentation,
    DocumentationFile,
    HistoryEntry,
    Platform,
    PoliticianLink,
    Unit,
)


@admin.register(Unit)
class UnitAdmin(admin.ModelAdmin):
    list_display = ["name", "slug", "is_active"]
    list_filter = ["is_active"]
    search_fields = ["name"]
    prepopulated_fields = {"slug": ["name"]}
    filter_horizontal = ["managers"]


@admin.register(Platform)
class PlatformAdmin(admin.ModelAdmin):
    list_display = ["name", "slug", "sort_order"]


@admin.register(Channel)
class ChannelAdmin(admin.ModelAdmin):
    """Read-only: channels change through the application, where every change is kept as history."""

    list_display = ["name", "platform", "unit", "status", "is_published"]
    list_filter = ["status", "is_published", "platform", "unit"]
    search_fields = ["name", "url", "handle"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(HistoryEntry)
class HistoryEntryAdmin(admin.ModelAdmin):
    list_display = ["created_at", "action", "content_type", "object_id", "actor"]
    list_filter = ["action", "content_type"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


class _ReadOnlyAdmin(admin.ModelAdmin):
    """Read-only: these records change through the application, where every change is kept as history."""

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(PoliticianLink)
class PoliticianLinkAdmin(_ReadOnlyAdmin):
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
class DocumentationAdmin(_ReadOnlyAdmin):
    list_display = ["channel", "documented_on", "reason", "created_by"]
    list_filter = ["reason"]
    inlines = [DocumentationFileInline]


@admin.register(ChannelReview)
class ChannelReviewAdmin(_ReadOnlyAdmin):
    list_display = ["channel", "reviewed_on", "still_needed", "purpose_ok", "writers_ok", "reviewed_by"]
