"""The effective classification of a moderation record: one definition, in Python and in SQL.

A record is never changed (4:6); a correction is an addendum, a new record linked to the
original. So what a record *is* follows from the original and all its addenda together (its
"group"): the most protective statement wins.

- reason: the reason highest in ``PROTECTION_ORDER`` among the group's reasons;
- confidential: the reason in effect is h (4:10 h) — an h anywhere in the group, since h
  ranks first;
- required by law: if any record of the group was (lag (1998:112) 5 §);
- retention: the longest retention among the group's reasons under a disposal decision, and
  none at all (kept) while any of its reasons is not covered by the decision.

Every record of a group, the original and each addendum, has the group's classification.

``classify`` and ``retention_months`` are the Python form (a record page, a permission);
``annotations`` and ``retention_months_expression`` are the same rules as SQL expressions
(the list, search, exports, statistics, disclosure, disposal), and ``confidential_condition`` and
``legally_required_condition`` the same as filters, where only the matching rows are wanted. The
reasons' ranks come from ``PROTECTION_ORDER``; tests/moderation/test_classification.py proves the
forms agree for every combination.
"""

from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from django.db import models
from django.db.models import Case, Exists, F, OuterRef, Q, Subquery, Value, When
from django.db.models.functions import Coalesce

CONFIDENTIAL = "h"

# Most protective first. h (confidential information) beats all; then the reasons whose
# removal the law requires (b-e); then the guidelines' own. Among these the order only decides
# which reason is shown: confidentiality, the law and the retention are computed over every
# reason of the group.
PROTECTION_ORDER = ("h", "c", "b", "d", "e", "a", "other", "f", "g")
RANK = {code: len(PROTECTION_ORDER) - index for index, code in enumerate(PROTECTION_ORDER)}


@dataclass(frozen=True)
class Classification:
    """What a record is, all its addenda considered."""

    category: str
    legally_required: bool
    confidential: bool
    # Whether its group changed it: the reason in effect or the law differs from what the record itself says.
    reclassified: bool = False


def classify(group: Iterable[tuple[str, bool]]) -> Classification:
    """Return the classification of a group of (reason, required by law) pairs, the record itself first."""
    group = list(group)
    if not group:
        raise ValueError("A record group holds at least the original.")
    category = max((reason for reason, _law in group), key=lambda reason: RANK.get(reason, 0))
    legally_required = any(law for _reason, law in group)
    return Classification(
        category=category,
        legally_required=legally_required,
        confidential=category == CONFIDENTIAL,
        reclassified=(category, legally_required) != tuple(group[0]),
    )


def from_annotations(own: tuple[str, bool], category: str, legally_required: bool) -> Classification:
    """Return the classification read from the SQL annotations of a record saying *own* (reason, law)."""
    return Classification(
        category=category,
        legally_required=bool(legally_required),
        confidential=category == CONFIDENTIAL,
        reclassified=(category, bool(legally_required)) != tuple(own),
    )


def retention_months(reasons: Iterable[str], periods: Mapping[str, int]) -> int | None:
    """Return the months a group with *reasons* is kept under a decision's *periods*; None: not covered, kept."""
    reasons = set(reasons)
    if not reasons or not reasons <= periods.keys():
        return None
    return max(periods[reason] for reason in reasons)


# --- the same rules in SQL -------------------------------------------------------------------


def _rank(field: str = "category") -> Case:
    return Case(
        *(When(**{field: code}, then=Value(rank)) for code, rank in RANK.items()),
        default=Value(0),
        output_field=models.IntegerField(),
    )


def group_of_outer(model) -> models.QuerySet:
    """Return the rows of the outer record's group (its original and every addendum), for a subquery."""
    root = Coalesce(OuterRef("addendum_to_id"), OuterRef("pk"))
    return model._base_manager.filter(Q(pk=root) | Q(addendum_to_id=root)).order_by()


def alone_condition(model) -> Q:
    """Return a condition matching a group of one: a record that is no addendum and has none.

    Most records are: their own columns are their classification, and only the few groups
    with addenda run the group subqueries. (Which records have addenda is an uncorrelated
    subquery, computed once per query.)
    """
    with_addenda = model._base_manager.filter(addendum_to__isnull=False).order_by().values("addendum_to_id")
    return Q(addendum_to__isnull=True) & ~Q(pk__in=with_addenda)


def _at_least_h() -> list[str]:
    # The reason in effect is h exactly when a reason of the group ranks as high as h does.
    return [code for code, rank in RANK.items() if rank >= RANK[CONFIDENTIAL]]


def _confidential(model) -> Exists:
    return Exists(group_of_outer(model).filter(category__in=_at_least_h()))


def annotations(model) -> dict:
    """Return the annotations ``effective_category``, ``effective_legally_required``, ``effective_confidential``."""
    group = group_of_outer(model)
    alone = alone_condition(model)
    return {
        "effective_category": Case(
            When(alone, then=F("category")),
            default=Subquery(group.annotate(_rank=_rank()).order_by("-_rank").values("category")[:1]),
            output_field=models.CharField(),
        ),
        "effective_legally_required": Case(
            When(alone, then=F("legally_required")),
            default=Exists(group.filter(legally_required=True)),
            output_field=models.BooleanField(),
        ),
        "effective_confidential": Case(
            When(alone & Q(category__in=_at_least_h()), then=Value(True)),
            When(alone, then=Value(False)),
            default=_confidential(model),
            output_field=models.BooleanField(),
        ),
    }


def confidential_condition(model) -> Q:
    """Return a condition matching effectively confidential records (usable in ``filter``/``exclude``)."""
    return Q(category__in=_at_least_h()) | (~alone_condition(model) & Q(_confidential(model)))


def legally_required_condition(model) -> Q:
    """Return a condition matching records whose group is required by law (``effective_legally_required``).

    For filters: the groups with a record required by law are one uncorrelated subquery (their
    originals' ids), so no subquery runs per row of the log.
    """
    groups = model._base_manager.filter(legally_required=True).order_by().values(root=Coalesce("addendum_to_id", "pk"))
    return Q(legally_required=True) | Q(pk__in=groups) | Q(addendum_to_id__in=groups)


def retention_months_expression(model, periods: Mapping[str, int]):
    """Return the SQL form of ``retention_months``: the group's longest period, NULL when not covered."""
    group = group_of_outer(model)
    months = Case(
        *(When(category=code, then=Value(value)) for code, value in periods.items()),
        default=Value(None),
        output_field=models.IntegerField(),
    )
    uncovered = Exists(group.exclude(category__in=list(periods)))
    longest = Subquery(
        group.annotate(_months=months).order_by("-_months").values("_months")[:1],
        output_field=models.IntegerField(),
    )
    return Case(When(uncovered, then=Value(None)), default=longest, output_field=models.IntegerField())
