"""The admin shows the moderation log and its archival handling read-only: no add, change or delete on any path.

The comment's content and screenshots are not in the admin at all: reading them is
logged (RecordRead), which only the application's own screens do. For the same reason a
requested record's text as released in part is left out. Disposal decisions, holds and
requests for public records are registered and changed only through the archivist's
screens (moderation/views/), whose services record history.
"""

from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from registry.admin import ReadOnlyAdmin

from .models import (
    DisclosureItem,
    DisclosureRequest,
    DisposalDecision,
    DisposalRun,
    DisposedRecord,
    Hold,
    RecordRead,
    RemovedComment,
    RetentionPeriod,
)


class ReadOnlyInline(admin.TabularInline):
    extra = 0
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


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
    # Not ``detail`` itself: older rows hold a screenshot's original file name (reads were
    # logged with it until the position replaced it), which can hold what 4:10 h protects;
    # the admin shows only the screenshot's position.
    fields = ["record", "reader", "read_at", "what", "shown_detail"]
    readonly_fields = fields

    @admin.display(description=_("detail"))
    def shown_detail(self, obj: RecordRead) -> str:
        if obj.what == RecordRead.What.ATTACHMENT:
            return obj.detail.split(":", 1)[0]
        return obj.detail


class RetentionPeriodInline(ReadOnlyInline):
    model = RetentionPeriod
    fields = ["category", "months"]


@admin.register(DisposalDecision)
class DisposalDecisionAdmin(ReadOnlyAdmin):
    list_display = ["reference", "deciding_body", "decided_on", "in_force_from", "in_force_until", "registered_by"]
    search_fields = ["reference", "deciding_body"]
    list_select_related = ["registered_by"]
    raw_id_fields = ["registered_by"]
    inlines = [RetentionPeriodInline]


@admin.register(Hold)
class HoldAdmin(ReadOnlyAdmin):
    list_display = ["placed_at", "kind", "reference", "channel", "placed_by", "lifted_at"]
    list_filter = ["kind", ("lifted_at", admin.EmptyFieldListFilter)]
    search_fields = ["reference", "reason"]
    list_select_related = ["channel", "placed_by"]
    raw_id_fields = ["records", "channel", "placed_by", "lifted_by"]


@admin.register(DisposalRun)
class DisposalRunAdmin(ReadOnlyAdmin):
    list_display = ["executed_at", "decision", "as_of", "source", "record_count", "file_count", "executed_by"]
    list_filter = ["source"]
    list_select_related = ["decision", "executed_by"]
    raw_id_fields = ["decision", "executed_by"]


class DisclosureItemInline(ReadOnlyInline):
    model = DisclosureItem
    # Not redacted_text: it is a (masked) comment's content, read only on logged screens.
    fields = ["record", "decision", "redaction_note", "decided_by", "decided_at"]
    raw_id_fields = ["record", "decided_by"]


@admin.register(DisclosureRequest)
class DisclosureRequestAdmin(ReadOnlyAdmin):
    list_display = ["reference", "received_on", "requester", "created_by", "created_at"]
    search_fields = ["reference", "requester"]
    list_select_related = ["created_by"]
    raw_id_fields = ["created_by"]
    inlines = [DisclosureItemInline]
