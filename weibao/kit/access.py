"""The one access-helper shape: fetch an object through the user's `for_user` queryset, once.

Every resource has one helper, in its app's `access.py`, built on `fetch`::

    def access_file(user: User, pk: int, *, for_update: bool = False) -> AtRiskFile:
        files = AtRiskFile.objects.for_user(user).select_related("person", "school")
        return fetch(files, pk, user=user, for_update=for_update)

Pages, the API and services call the same helper (zulip's `access_stream_by_id`). It raises
Http404 for a record the user may not see, exactly as for one that does not exist, so an outsider
never learns which is which (DRF answers Http404 with a 404 too). The object comes back marked as
fetched for that user: the app's scope predicate (`in_scope`) then trusts the mark instead of
asking the database a second time whether the object is in `for_user`.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar

from django.core.exceptions import ObjectDoesNotExist
from django.db.models import Model, QuerySet
from django.http import Http404

M = TypeVar("M", bound=Model)

_MARK = "_fetched_for_user"


def fetch(queryset: QuerySet[M], pk: Any, *, user: Any, for_update: bool = False) -> M:
    """The object `pk` of `queryset` (already filtered by `for_user(user)`), marked as fetched
    for `user`; Http404 when it is not there or `pk` is not a valid key."""
    if for_update:
        # Lock the row itself, not the optional rows joined for display (PostgreSQL refuses
        # FOR UPDATE on the nullable side of an outer join).
        queryset = queryset.select_for_update(of=("self",))
    try:
        obj = queryset.get(pk=pk)
    except (ObjectDoesNotExist, ValueError, TypeError, OverflowError) as exc:
        raise Http404 from exc
    mark_fetched(obj, user)
    return obj


def mark_fetched(obj: Model, user: Any) -> Model:
    """Record that `obj` came out of `for_user(user)`."""
    setattr(obj, _MARK, getattr(user, "pk", None))
    return obj


def fetched_for(obj: Any, user: Any) -> bool:
    pk = getattr(user, "pk", None)
    return pk is not None and getattr(obj, _MARK, None) == pk


def in_scope(user: Any, obj: Any, for_user: Callable[[Any], QuerySet[Any]]) -> bool:
    """Whether `obj` is in `for_user(user)`: the mark when it was fetched for this user, else
    one query. For the apps' scope predicates (`rules`) that guard pages and services alike."""
    if obj is None or getattr(obj, "pk", None) is None:
        return False
    if fetched_for(obj, user):
        return True
    return for_user(user).filter(pk=obj.pk).exists()
