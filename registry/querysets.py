"""Reusable filters for the registry's models."""

from django.db import models


class ChannelQuerySet(models.QuerySet):
    def active(self):
        return self.filter(status=self.model.Status.ACTIVE)

    def public(self):
        """Return the channels on the public list (4:4): published and active."""
        return self.active().filter(is_published=True)

    def open(self):
        """Return the channels that are not closed or rejected."""
        return self.exclude(status__in=[self.model.Status.CLOSED, self.model.Status.REJECTED])

    def of_units(self, unit_ids):
        return self.filter(unit_id__in=unit_ids)

    def search(self, text: str):
        text = text.strip()
        if not text:
            return self
        return self.filter(
            models.Q(name__icontains=text)
            | models.Q(handle__icontains=text)
            | models.Q(url__icontains=text)
            | models.Q(purpose__icontains=text)
        )

    def with_related(self):
        return self.select_related("platform", "unit")


class UnitQuerySet(models.QuerySet):
    def managed_by(self, user):
        if not user.is_authenticated:
            return self.none()
        return self.filter(managers=user)
