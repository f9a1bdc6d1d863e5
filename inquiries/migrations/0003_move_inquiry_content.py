from django.db import migrations

COPIED = ("question", "asked_by", "place", "screenshot", "screenshot_name", "screenshot_type", "screenshot_size",
          "screenshot_sha256")


def copy_content(apps, schema_editor):
    """Copy each inquiry's question, asker, place and screenshot, and each addendum's text, to the new tables."""
    Inquiry = apps.get_model("inquiries", "Inquiry")
    InquiryContent = apps.get_model("inquiries", "InquiryContent")
    InquiryAddendum = apps.get_model("inquiries", "InquiryAddendum")
    InquiryAddendumContent = apps.get_model("inquiries", "InquiryAddendumContent")
    for row in Inquiry.objects.values("pk", *COPIED).iterator(chunk_size=1000):
        InquiryContent.objects.create(inquiry_id=row.pop("pk"), **row)
    for pk, text in InquiryAddendum.objects.values_list("pk", "text").iterator(chunk_size=1000):
        InquiryAddendumContent.objects.create(addendum_id=pk, text=text)


def copy_back(apps, schema_editor):
    """Nothing to do going back: 0004's reversal brings the columns back empty; restore from a backup."""


class Migration(migrations.Migration):
    """Move existing inquiries' content into InquiryContent and InquiryAddendumContent (nothing is deleted here)."""

    dependencies = [("inquiries", "0002_inquiry_content")]

    operations = [migrations.RunPython(copy_content, copy_back)]
