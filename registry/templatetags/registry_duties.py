"""Panels for the web team's duties, shown on pages owned by others with one include line."""

from django import template

from norsjo.dates import one_year_after

from .. import permissions, selectors

register = template.Library()

HOME_LIMIT = 20


@register.inclusion_tag("registry/includes/channel_duties.html", takes_context=True)
def channel_duties(context, channel, page=None):
    """The channel page's screenshot documentation (4:8) and yearly review panel.

    *page* (``selectors.channel_page.ChannelPage``) holds the latest review and screenshots,
    read with the channel; without it they are read here.
    """
    user = context["request"].user
    can_see = permissions.can_see_documentation(user, channel)
    if page is None:
        review = selectors.latest_review(channel)
        documentation = selectors.latest_documentation(channel) if can_see else None
    else:
        review = page.review
        documentation = page.documentation if can_see else None
    return {
        "channel": channel,
        "can_see_documentation": can_see,
        "documentation": documentation,
        "can_document": permissions.can_document(user, channel),
        "review": review,
        "review_due": one_year_after(review.reviewed_on) if review else None,
        "can_review": permissions.can_review_channel(user, channel),
        "documented_statuses": selectors.DOCUMENTED_STATUSES,
    }


@register.inclusion_tag("registry/includes/home_duties_panel.html", takes_context=True)
def home_duties(context):
    """The start page's overdue yearly reviews (web team: all; manager: own units) and screenshots due."""
    user = context["request"].user
    web_team, manager = permissions.is_web_team(user), permissions.is_manager(user)
    result = {"show": web_team or manager, "web_team": web_team}
    if result["show"]:
        overdue = selectors.overdue_reviews_home(user, limit=HOME_LIMIT + 1)
        result["overdue_reviews"] = overdue[:HOME_LIMIT]
        result["more_reviews"] = len(overdue) > HOME_LIMIT
    if web_team:
        result["documentation_due"] = selectors.documentation_due_count(user)
    return result


@register.simple_tag
def latest_documentation(channel):
    return selectors.latest_documentation(channel)
