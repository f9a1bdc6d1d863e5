"""The admin shows the moderation log read-only: no add, change or delete on any path.

The comment's content and screenshots are not in the admin at all: reading them is
logged (RecordRead), which only the application's own screens do.
"""

from django.contrib import admin

from .models import DisposedRecord, RecordRead, RemovedComment


class ReadOnlyAdmin(admin.ModelAdmin):
    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    def get_actions(self, request):
        return {}


@admin.register(RemovedComment)
class RemovedCommentAdmin(ReadOnlyAdmin):
    list_display = ["sequence", "channel_name", "category", "action", "removed_at", "logged_by", "confidential"]
    list_filter = ["category", "action", "confidential", "legally_required"]
    search_fields = ["channel_name", "unit_name"]
    show_full_result_count = False
    list_select_related = ["logged_by"]
    raw_id_fields = ["channel", "logged_by", "addendum_to"]


@admin.register(DisposedRecord)
class DisposedRecordAdmin(ReadOnlyAdmin):
    list_display = ["record", "disposed_at", "disposed_by", "decision_reference"]
    raw_id_fields = ["record", "disposed_by"]


@admin.register(RecordRead)
class RecordReadAdmin(ReadOnlyAdmin):
    list_display = ["record", "reader", "what", "read_at"]
    list_filter = ["what"]
    show_full_result_count = False
    raw_id_fields = ["record", "reader"]
