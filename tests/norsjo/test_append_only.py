"""The shared append-only base refuses every ORM path that would change or delete a row."""

import pytest

from norsjo.append_only import AppendOnlyModel, AppendOnlyQuerySet
from norsjo.models import RateLimitCounter

pytestmark = pytest.mark.django_db


class _Refusing(AppendOnlyQuerySet):
    append_only_message = "never changed"
    delete_message = "never deleted"


def test_append_only_queryset_refuses_update_delete_and_bulk_paths():
    """update, delete, bulk_update and update_or_create raise with the subclass's own message."""
    queryset = _Refusing(model=RateLimitCounter)
    with pytest.raises(TypeError, match="never changed"):
        queryset.update(count=1)
    with pytest.raises(TypeError, match="never deleted"):
        queryset.delete()
    with pytest.raises(TypeError, match="never changed"):
        queryset.bulk_update([], ["count"])
    with pytest.raises(TypeError, match="never changed"):
        queryset.update_or_create(key="x")


def test_append_only_model_is_abstract_and_refuses_a_second_save():
    """The base is abstract; a subclass's save() of an existing row and delete() raise its own messages."""
    assert AppendOnlyModel._meta.abstract
    row = RateLimitCounter(key="k", count=1, expires_at=1)
    row.save()
    row.append_only_message = "never changed"
    row.delete_message = "never deleted"
    with pytest.raises(TypeError, match="never changed"):
        AppendOnlyModel.save(row)
    with pytest.raises(TypeError, match="never deleted"):
        AppendOnlyModel.delete(row)
