"""The statistics page's charts: bar widths are numbers an SVG understands, in every language."""

import re
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from moderation import permissions
from moderation.forms.log import RecordFilterForm
from moderation.models import RemovedComment
from moderation.selectors.log import Filters, filter_choices, record_page
from moderation.services.log import addendum_add
from registry.models import Platform
from registry.permissions import remember_per_request

from ..factories import ChannelFactory, UserFactory

pytestmark = pytest.mark.django_db

NUMBER = re.compile(r"^\d+(\.\d+)?$")


@pytest.mark.parametrize("language", ["sv", "en"])
def test_chart_bars_have_unlocalised_widths(client, world, log_removal, language):
    log_removal(category="a")
    log_removal(category="a")
    log_removal(category="g", comment_published_at=timezone.now() - timedelta(days=3))
    client.force_login(world.users["web_team"])
    client.cookies["django_language"] = language
    html = client.get(reverse("moderation:statistics")).content.decode()
    widths = re.findall(r'<rect width="([^"]*)"', html)
    assert widths, "the page draws bars"
    assert all(NUMBER.match(width) for width in widths), widths
    assert "100.0" in widths or "100" in widths  # the longest bar fills the chart
    assert "50.0" in widths  # a bar of half the longest is half as long, not "50,0"


def test_filter_choices_offer_what_the_model_choice_fields_offer(world, log_removal):
    """One query gives the log filter's channels, units and people as their model choice fields would."""
    instagram = Platform.objects.get(slug="instagram")
    ChannelFactory(name=world.channel.name, platform=instagram, unit=world.unit, created_by=world.users["web_team"])
    ChannelFactory(name="Ä-kanalen", unit=world.unit, created_by=world.users["web_team"])
    nameless = UserFactory(username="utan-namn", first_name="", last_name="")
    log_removal()
    web_team = world.users["web_team"]
    web_team.first_name = web_team.last_name = ""  # named by user name
    web_team.save()
    log_removal(actor=web_team)
    form = RecordFilterForm()
    names = ("channel", "unit", "logged_by")
    expected = [[(str(value), str(label)) for value, label in form.fields[name].choices][1:] for name in names]
    offered = filter_choices(*(form.fields[name].queryset for name in names))
    assert [[(value, str(label)) for value, label in choices] for choices in offered] == expected
    assert ("webb", "webb") in offered[2]
    assert nameless.username not in [value for value, _label in offered[2]]  # only those who logged a removal


def test_people_who_logged_are_exactly_those_with_a_record(world, log_removal):
    """The index walk finds every person who logged a removal, and no one else, whatever their ids."""
    from django.contrib.auth import get_user_model

    from moderation.models import RemovedComment
    from moderation.selectors.log import people_who_logged

    assert list(people_who_logged()) == []  # an empty log: nobody, not an error
    others = [UserFactory() for _ in range(3)]  # ids on both sides of the loggers'
    log_removal()
    log_removal(actor=world.users["web_team"])
    log_removal(actor=world.users["web_team"])
    expected = get_user_model().objects.filter(pk__in=RemovedComment.objects.values("logged_by")).order_by("pk")
    assert list(people_who_logged().order_by("pk")) == list(expected)
    assert len(expected) == 2 and not set(others) & set(expected)


def test_log_page_classifies_alone_and_grouped_records_as_the_sql_rules(world, log_removal, django_assert_num_queries):
    """A record alone is its own classification without a query; a group's is read in one query."""
    alone = [log_removal(category="b"), log_removal(category="h"), log_removal(category="g")]
    web_team = world.users["web_team"]
    remember_per_request(web_team)
    assert permissions.sees_whole_log(web_team)  # the roles, read once per request
    with django_assert_num_queries(1):  # the page alone
        page = record_page(user=web_team, filters=Filters())
    assert [record.pk for record in page.items] == [record.pk for record in reversed(alone)]
    original = log_removal(category="g")
    addendum_add(actor=world.users["writer"], original=original, explanation="Hot", category="c")
    with django_assert_num_queries(2):  # the page, the groups
        page = record_page(user=web_team, filters=Filters())
    annotated = {record.pk: record for record in RemovedComment.objects.with_classification()}
    assert len(page.items) == 5
    for record in page.items:
        sql = annotated[record.pk]
        assert (record.effective_category, record.effective_legally_required, record.effective_confidential) == (
            sql.effective_category,
            bool(sql.effective_legally_required),
            bool(sql.effective_confidential),
        )
