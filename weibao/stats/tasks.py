"""The statistics' background work: marking figures stale when their sources change, the
debounced recompute of the stale ones, and the nightly recompute of everything cached.

Any saved or deleted row of a model a declaration counts (its rows' model, the models along its
date, breakdown and placement paths, and those it `depends` on; a many-to-many link added or
removed), and any saved or deleted Person (the register's count of minors), marks the indicators
concerned stale. The marks are written when the transaction commits, in
one insert, and one recompute task is queued then: a thousand rows imported in one transaction
give one mark per indicator and one recompute (the debounce). Writing nothing before the commit
keeps the saving transaction as it was.
"""

from __future__ import annotations

from functools import cache
from typing import Any

from django.apps import apps
from django.db import transaction
from django.db.models import Max
from django.db.models.signals import m2m_changed, post_delete, post_save
from django_tasks import task

from weibao.core.schedule import scheduled

_pending: set[str] = set()


def _counted(indicator: Any) -> list[Any]:
    """The declarations an indicator is made of (a Share's two; none for a compute function)."""
    if indicator.share is not None:
        return [indicator.share.part, indicator.share.whole]
    return [indicator.measure] if indicator.measure is not None else []


@cache
def _sources() -> dict[type, frozenset[str]]:
    """Model -> the indicator keys (and MINORS) its rows change: each declaration's rows, the
    models along its date, breakdown and placement paths, and those it names in `depends` (a
    many-to-many link's own table among them)."""
    from weibao.core import contract
    from weibao.people.models import Person
    from weibao.stats import definitions as defs

    found: dict[type, set[str]] = {Person: {defs.MINORS}}
    for key, indicator in contract.indicators().items():
        for counted in _counted(indicator):
            model = counted.rows().model
            found.setdefault(model, set()).add(key)
            where = (counted.where,) if isinstance(counted.where, str) else counted.where
            for path in (counted.on, counted.breakdown, *where):
                related = model
                for name in path.split("__")[:-1] if path else []:
                    related = related._meta.get_field(name).related_model
                    found.setdefault(related, set()).add(key)
            for label in counted.depends:
                found.setdefault(apps.get_model(label), set()).add(key)
    return {model: frozenset(keys) for model, keys in found.items()}


def _changed(sender: Any, **kwargs: Any) -> None:
    if kwargs.get("raw") or not apps.ready:
        return
    if kwargs.get("action", "post_").startswith("pre_"):
        return  # a many-to-many change: marked once, after it
    keys = _sources().get(sender)
    if not keys:
        return
    _pending.update(keys)
    transaction.on_commit(_flush, robust=True)


def _flush() -> None:
    """Write the pending marks and queue a recompute, unless one is queued already and not
    started (it will see these marks too): however many rows and transactions change, one job
    waits at a time."""
    from weibao.stats.models import Stale

    if not _pending:
        return
    keys = sorted(_pending)
    _pending.clear()
    Stale.objects.bulk_create([Stale(key=key) for key in keys])
    if not _waiting():
        recompute_stale.enqueue()


def _waiting() -> bool:
    """Whether a recompute is queued in the database and not started (other backends run a job
    when it is queued)."""
    from django_tasks.base import TaskResultStatus
    from django_tasks_db import DatabaseBackend
    from django_tasks_db.models import DBTaskResult

    if not isinstance(recompute_stale.get_backend(), DatabaseBackend):
        return False
    queued = DBTaskResult.objects.filter(status=TaskResultStatus.READY)
    return queued.filter(task_path=recompute_stale.module_path).exists()


@task()
def recompute_stale() -> str:
    """Recompute the cached figures that are stale: those computed before a newer mark of one
    of their sources."""
    from django.db.models import Min

    from weibao.stats import definitions as defs
    from weibao.stats import engine
    from weibao.stats.models import FigureCache, Stale

    installed = defs.definitions()
    oldest = dict(
        FigureCache.objects.values("key")
        .annotate(oldest=Min("sources_version"))
        .order_by()
        .values_list("key", "oldest")
    )
    marks = dict(
        Stale.objects.values("key").annotate(top=Max("pk")).order_by().values_list("key", "top")
    )
    stale = [
        key
        for key, version in oldest.items()
        if key in installed
        and max((marks.get(k, 0) for k in installed[key].sources), default=0) > version
    ]
    if not stale:
        return "nothing stale"
    return str(engine.recompute(sorted(stale)))


@scheduled("stats_recompute", hour=2, minute=40)
def stats_recompute() -> str:
    """Recompute every definition's figures (this year, last year, every year cached), and keep
    only the newest stale mark per source."""
    from weibao.stats import engine
    from weibao.stats.models import Stale

    summary = engine.recompute()
    newest = Stale.objects.values("key").annotate(top=Max("pk")).values_list("top", flat=True)
    pruned, _ = Stale.objects.exclude(pk__in=list(newest)).delete()
    return f"{summary}; {pruned} old marks pruned"


post_save.connect(_changed, dispatch_uid="stats_source_saved")
post_delete.connect(_changed, dispatch_uid="stats_source_deleted")
m2m_changed.connect(_changed, dispatch_uid="stats_source_linked")
