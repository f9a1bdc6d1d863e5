"""Write an archival information package of moderation records (E-ARK CSIP/SIP 2.1.0, FGS 2.0).

    python manage.py export_records --out PATH [--zip] [--from DATE] [--until DATE]
        [--channel ID] [--unit SLUG] [--category CODE] [--action unpublished|deleted]
        [--logged-by USERNAME] [--search TEXT]

The filters are those of the moderation list screen. PATH must not exist: it becomes the
package folder, whose name is the package id (or, with --zip, a zip file holding it).
"""

from datetime import date
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from moderation.exports import package, table
from moderation.exports.package.records import disposal_log_entries
from moderation.models import Action, Category
from moderation.selectors.log import Filters
from moderation.services.log import record_access_log
from registry.models import Channel, Unit


def _date(value: str) -> date:
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise CommandError(f"{value!r} is not a date (YYYY-MM-DD)") from None


class Command(BaseCommand):
    help = "Write an archival package (E-ARK SIP, FGS Paketstruktur 2.0) of moderation records to --out PATH."

    def add_arguments(self, parser):
        parser.add_argument("--out", required=True, help="Where to write the package (must not exist).")
        parser.add_argument("--zip", action="store_true", help="Write one zip file instead of a folder.")
        parser.add_argument("--from", dest="removed_from", type=_date, help="Removed on or after (YYYY-MM-DD).")
        parser.add_argument("--until", dest="removed_until", type=_date, help="Removed on or before (YYYY-MM-DD).")
        parser.add_argument("--channel", type=int, help="Channel id.")
        parser.add_argument("--unit", help="Unit short name (slug).")
        parser.add_argument("--category", choices=Category.values)
        parser.add_argument("--action", choices=Action.values)
        parser.add_argument("--logged-by", default="", help="User name of the person who logged the removal.")
        parser.add_argument("--search", default="", help="Text or author to search for.")

    def handle(self, *args, **options):
        channel = None
        if options["channel"] is not None:
            channel = Channel.objects.filter(pk=options["channel"]).first()
            if channel is None:
                raise CommandError(f"There is no channel with id {options['channel']}.")
        unit_id = None
        if options["unit"]:
            unit = Unit.objects.filter(slug=options["unit"]).first()
            if unit is None:
                raise CommandError(f"There is no unit {options['unit']!r}.")
            unit_id = unit.pk
        filters = Filters(
            search=options["search"],
            channel=channel,
            unit_id=unit_id,
            category=options["category"] or "",
            action=options["action"] or "",
            removed_from=options["removed_from"],
            removed_until=options["removed_until"],
            logged_by=options["logged_by"],
        )
        records = table.records_for_export(user=None, filters=filters)
        described = ", ".join(
            f"{name}={options[name]}"
            for name in (
                "removed_from",
                "removed_until",
                "channel",
                "unit",
                "category",
                "action",
                "logged_by",
                "search",
            )
            if options[name]
        )
        try:
            summary = package.build_package(
                records,
                Path(options["out"]),
                disposal_log=disposal_log_entries(records),
                description=described,
                period=(options["removed_from"], options["removed_until"]),
                make_zip=options["zip"],
            )
        except FileExistsError as error:
            raise CommandError(str(error)) from None
        # No person and no request here (a command on the server): the event is logged all the same.
        record_access_log(
            request=None,
            actor=None,
            action="export",
            format="eark",
            selection=described,
            package=summary.objid,
            record_count=summary.records,
            confidential_count=summary.confidential,
            source="command",
        )
        problems = package.verify_package(summary.path)
        if problems:  # pragma: no cover - would mean a bug in the builder
            raise CommandError("The package does not verify: " + "; ".join(problems[:10]))
        self.stdout.write(
            f"Wrote {summary.path} ({summary.objid}): {summary.records} records "
            f"({summary.confidential} confidential, {summary.disposed} disposed of), "
            f"{summary.screenshots} screenshots, {len(summary.files) + 1} files; checksums verified."
        )
