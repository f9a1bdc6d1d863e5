"""The admin shows inquiries read-only: they are registered and added to only through the application."""

from django.contrib import admin

from registry.admin import ReadOnlyAdmin

from .models import Inquiry, InquiryAddendum, InquirySequence


@admin.register(Inquiry)
class InquiryAdmin(ReadOnlyAdmin):
    list_display = ["number", "unit_name", "source", "asked_by", "registered_by_name", "registered_at"]
    list_filter = ["year", "source"]
    search_fields = ["question", "asked_by", "unit_name", "channel_name"]
    exclude = ["screenshot"]  # served only by the application's screen, which checks the reader


@admin.register(InquiryAddendum)
class InquiryAddendumAdmin(ReadOnlyAdmin):
    list_display = ["inquiry", "added_by_name", "added_at"]


@admin.register(InquirySequence)
class InquirySequenceAdmin(ReadOnlyAdmin):
    list_display = ["year", "last_serial"]
