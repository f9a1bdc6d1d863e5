import inquiries.triggers
from django.db import migrations


class Migration(migrations.Migration):
    """The inquiry and addendum rows become the tombstone; the triggers cover the new tables.

    On SQLite, removing columns remakes the tables and drops their triggers: installed again last.
    """

    dependencies = [("inquiries", "0003_move_inquiry_content")]

    operations = [
        migrations.RemoveConstraint(
            model_name='inquiry',
            name='inquiry_question_required',
        ),
        migrations.RemoveConstraint(
            model_name='inquiry',
            name='inquiry_asked_by_required',
        ),
        migrations.RemoveConstraint(
            model_name='inquiry',
            name='inquiry_screenshot_typed',
        ),
        migrations.RemoveConstraint(
            model_name='inquiryaddendum',
            name='inquiryaddendum_text_required',
        ),
        migrations.RemoveField(
            model_name='inquiry',
            name='asked_by',
        ),
        migrations.RemoveField(
            model_name='inquiry',
            name='place',
        ),
        migrations.RemoveField(
            model_name='inquiry',
            name='question',
        ),
        migrations.RemoveField(
            model_name='inquiry',
            name='screenshot',
        ),
        migrations.RemoveField(
            model_name='inquiry',
            name='screenshot_name',
        ),
        migrations.RemoveField(
            model_name='inquiry',
            name='screenshot_sha256',
        ),
        migrations.RemoveField(
            model_name='inquiry',
            name='screenshot_size',
        ),
        migrations.RemoveField(
            model_name='inquiry',
            name='screenshot_type',
        ),
        migrations.RemoveField(
            model_name='inquiryaddendum',
            name='text',
        ),
        migrations.RunPython(inquiries.triggers.migration_install, migrations.RunPython.noop),
    ]
