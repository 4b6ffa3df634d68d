"""The statistics' background work: marking figures stale when their sources change, the
debounced recompute of the stale ones, and the nightly recompute of everything cached.

Any saved or deleted row of a model a Measure counts (its rows' model, and the models along its
date and breakdown paths), and any saved or deleted Person (the register's count of minors),
marks the indicators concerned stale. The marks are written when the transaction commits, in
one insert, and one recompute task is queued then: a thousand rows imported in one transaction
give one mark per indicator and one recompute (the debounce). Writing nothing before the commit
keeps the saving transaction as it was.
"""

from __future__ import annotations

from functools import cache
from typing import Any

from django.apps import apps
from django.db import transaction
from django.db.models.signals import post_delete, post_save
from django_tasks import task

from weibao.core.schedule import scheduled

_pending: set[str] = set()


@cache
def _sources() -> dict[type, frozenset[str]]:
    """Model -> the indicator keys (and MINORS) its rows change."""
    from weibao.core import contract
    from weibao.people.models import Person
    from weibao.stats import definitions as defs

    found: dict[type, set[str]] = {Person: {defs.MINORS}}
    for key, indicator in contract.indicators().items():
        measure = indicator.measure
        if measure is None:
            continue
        model = measure.rows().model
        found.setdefault(model, set()).add(key)
        for path in (measure.on, measure.breakdown):
            related = model
            for name in path.split("__")[:-1] if path else []:
                related = related._meta.get_field(name).related_model
                found.setdefault(related, set()).add(key)
    return {model: frozenset(keys) for model, keys in found.items()}


def _changed(sender: Any, **kwargs: Any) -> None:
    if kwargs.get("raw") or not apps.ready:
        return
    keys = _sources().get(sender)
    if not keys:
        return
    _pending.update(keys)
    transaction.on_commit(_flush, robust=True)


def _flush() -> None:
    """Write the pending marks and queue their recompute (once, however many rows changed)."""
    from weibao.stats.models import Stale

    if not _pending:
        return
    keys = sorted(_pending)
    _pending.clear()
    Stale.objects.bulk_create([Stale(key=key) for key in keys])
    recompute_stale.enqueue(keys)


@task()
def recompute_stale(keys: list[str]) -> str:
    """Recompute the cached figures of the definitions made of these sources."""
    from weibao.stats import definitions as defs
    from weibao.stats import engine
    from weibao.stats.models import FigureCache

    wanted = set(keys)
    chosen = [d.key for d in defs.definitions().values() if wanted & set(d.sources)]
    cached = set(FigureCache.objects.filter(key__in=chosen).values_list("key", flat=True))
    if not cached:
        return "nothing cached"
    return str(engine.recompute(sorted(cached)))


@scheduled("stats_recompute", hour=2, minute=40)
def stats_recompute() -> str:
    """Recompute every definition's figures (this year, last year, every year cached), and keep
    only the newest stale mark per source."""
    from django.db.models import Max

    from weibao.stats import engine
    from weibao.stats.models import Stale

    summary = engine.recompute()
    newest = Stale.objects.values("key").annotate(top=Max("pk")).values_list("top", flat=True)
    pruned, _ = Stale.objects.exclude(pk__in=list(newest)).delete()
    return f"{summary}; {pruned} old marks pruned"


post_save.connect(_changed, dispatch_uid="stats_source_saved")
post_delete.connect(_changed, dispatch_uid="stats_source_deleted")
