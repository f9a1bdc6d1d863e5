"""A background job's page (polled while it runs), its state as JSON for the page's script, and its file."""

from django.http import FileResponse, Http404, JsonResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from . import kinds, selectors


@require_GET
def job_detail(request, pk):
    job = selectors.job_for(request.user, pk)
    return render(request, "jobs/job_detail.html", {"job": job, "kind": kinds.get(job.kind)})


@require_GET
def job_status(request, pk):
    """The job's state and progress, read by static/js/job.js every few seconds."""
    job = selectors.job_for(request.user, pk)
    response = JsonResponse(
        {"state": job.state, "done": job.done, "total": job.total, "percent": job.percent, "finished": job.is_finished}
    )
    response["Cache-Control"] = "no-store"
    return response


@require_GET
def job_download(request, pk):
    job = selectors.job_for(request.user, pk)
    path = job.result_file()
    if job.state != job.State.DONE or path is None or not path.is_file():
        raise Http404
    response = FileResponse(
        path.open("rb"), as_attachment=True, filename=job.result_name, content_type=kinds.get(job.kind).content_type
    )
    response["Cache-Control"] = "no-store"
    return response
