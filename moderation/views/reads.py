"""The read log for archivists: who read which record's content or screenshots, when and from where."""

from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import StreamingHttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from .. import permissions
from ..exports.writers import Column, csv_chunks, neutralise
from ..forms.archive import ReadLogForm
from ..selectors import archive as archive_selectors


def _require(user):
    if not permissions.can_read_access_log(user):
        raise PermissionDenied


@require_GET
def read_log(request):
    _require(request.user)
    form = ReadLogForm(request.GET or None)
    reads = archive_selectors.record_reads(user=request.user, **form.search())
    page = Paginator(reads, archive_selectors.PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "moderation/read_log.html", {"form": form, "page": page})


def _columns():
    return [
        Column("read_at", _("Read at"), kind="plain"),
        Column("person", _("Person")),
        Column("username", _("User name")),
        Column("record", _("Record number"), kind="plain"),
        Column("what", _("What")),
        Column("detail", _("Detail")),
        Column("address", _("From address"), kind="plain"),
    ]


def _rows(reads):
    for read in reads.iterator(chunk_size=2000):
        yield [
            timezone.localtime(read.read_at).isoformat(timespec="seconds"),
            # Names and details are typed by people: neutralised like every exported text.
            neutralise(read.reader.get_full_name() or read.reader.get_username()),
            neutralise(read.reader.get_username()),
            read.record.sequence,
            str(read.get_what_display()),
            neutralise(read.detail),
            read.address or "",
        ]


@require_GET
def read_log_export(request):
    """The read log's search as CSV (semicolons, for Swedish Excel), every cell neutralised."""
    _require(request.user)
    form = ReadLogForm(request.GET or None)
    reads = archive_selectors.record_reads(user=request.user, **form.search())
    columns = _columns()
    # Plain columns: the rows are neutralised above with the exports' one function.
    plain = [Column(c.key, c.label, c.width, "plain") for c in columns]
    response = StreamingHttpResponse(csv_chunks(plain, _rows(reads), delimiter=";"), content_type="text/csv")
    stamp = timezone.localtime().strftime("%Y%m%d-%H%M")
    response["Content-Disposition"] = f'attachment; filename="lasloggen-{stamp}.csv"'
    response["Cache-Control"] = "no-store"
    return response
