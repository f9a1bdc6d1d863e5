"""The moderation log's links in the main menu, shown only to those who may use them."""

from django import template
from django.urls import reverse

from registry.selectors import moderates_any_channel

from .. import permissions

register = template.Library()


@register.simple_tag(takes_context=True)
def moderation_nav_links(context) -> dict:
    request = context.get("request")
    if request is None or not request.user.is_authenticated:
        return {}
    return {
        "log": permissions.can_use_log(request.user),
        "can_log": moderates_any_channel(request.user),
        "log_start_url": reverse("moderation:log_start"),
    }
