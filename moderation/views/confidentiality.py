"""The 4:9 checklist: what must not be published on social media, for everyone who writes there."""

from django.shortcuts import render
from django.views.decorators.http import require_GET


@require_GET
def confidentiality_checklist(request):
    """Show the short checklist of confidential information (4:9, 4:10 h); any signed-in employee."""
    return render(request, "moderation/confidentiality_checklist.html")
