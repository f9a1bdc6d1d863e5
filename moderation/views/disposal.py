"""The archive's start page and disposal (4:7): the preview an archivist confirms, and the disposal log."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.utils.translation import ngettext
from django.views.decorators.http import require_GET, require_http_methods

from jobs.selectors import recent_jobs

from .. import permissions
from ..exports import jobs as export_jobs
from ..models import DisposalRun
from ..selectors import archive as archive_selectors
from ..services import disposal as disposal_services


@require_GET
def archive_home(request):
    permissions.require_archive_manager(request.user)
    return render(
        request,
        "moderation/archive_home.html",
        {
            "decision": archive_selectors.decision_in_force(),
            "active_holds": archive_selectors.holds_active().count(),
            "last_run": archive_selectors.disposal_runs(user=request.user).first(),
            "jobs": recent_jobs(request.user, kinds=[export_jobs.EARK]),
        },
    )


@require_http_methods(["GET", "POST"])
def disposal(request):
    """Preview what is due under the decision in force; an archivist confirms, and it runs in one transaction."""
    permissions.require_archive_manager(request.user)
    if request.method == "POST":
        try:
            run = disposal_services.disposal_apply(
                actor=request.user,
                source=DisposalRun.Source.SCREEN,
                expected_fingerprint=request.POST.get("fingerprint", ""),
                request=request,
            )
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            records = ngettext(
                "Disposed of %(count)s record under decision %(reference)s.",
                "Disposed of %(count)s records under decision %(reference)s.",
                run.record_count,
            ) % {"count": run.record_count, "reference": run.decision.reference}
            files = ngettext("%(count)s file was deleted.", "%(count)s files were deleted.", run.file_count) % {
                "count": run.file_count
            }
            inquiries = ngettext(
                "%(count)s inquiry was disposed of.", "%(count)s inquiries were disposed of.", run.inquiry_count
            ) % {"count": run.inquiry_count}
            messages.success(request, f"{records} {inquiries} {files}")
            return redirect("moderation:disposal_log")
        return redirect("moderation:disposal")
    preview = disposal_services.disposal_preview()
    sample = archive_selectors.disposal_sample(
        user=request.user, record_ids=preview.original_ids[: archive_selectors.PAGE_SIZE]
    )
    return render(request, "moderation/disposal.html", {"preview": preview, "sample": sample})


@require_GET
def disposal_log(request):
    permissions.require_archive_manager(request.user)
    text = request.GET.get("q", "")[:200]
    qs = archive_selectors.disposal_log(text=text)
    page = Paginator(qs, archive_selectors.PAGE_SIZE).get_page(request.GET.get("page"))
    runs = archive_selectors.disposal_runs(user=request.user)[:20]
    return render(request, "moderation/disposal_log.html", {"page": page, "q": text, "runs": runs})
