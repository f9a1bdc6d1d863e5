"""The admin shows inquiries read-only: they are registered and added to only through the application."""

from django.contrib import admin

from registry.admin import ReadOnlyAdmin

from .models import DisposedInquiry, Inquiry, InquiryAddendum, InquirySequence


@admin.register(Inquiry)
class InquiryAdmin(ReadOnlyAdmin):
    # The question, the asker and the screenshot (InquiryContent) are read on the application's
    # screen only, which checks the reader; the admin shows the register entry.
    list_display = ["number", "unit_name", "source", "registered_by_name", "registered_at"]
    list_filter = ["year", "source"]
    search_fields = ["unit_name", "channel_name"]


@admin.register(InquiryAddendum)
class InquiryAddendumAdmin(ReadOnlyAdmin):
    list_display = ["inquiry", "added_by_name", "added_at"]


@admin.register(InquirySequence)
class InquirySequenceAdmin(ReadOnlyAdmin):
    list_display = ["year", "last_serial"]


@admin.register(DisposedInquiry)
class DisposedInquiryAdmin(ReadOnlyAdmin):
    list_display = ["inquiry", "decision_reference", "disposed_at", "disposed_by"]
