"""The app contract: what a domain app gives the platform, declared in one place.

Each app has a module `weibao/<app>/weibao_app.py` with one `APP = AppContract(...)`. The platform
discovers them (`contracts()`, in INSTALLED_APPS order) and wires each in: its pages under its
URL prefix, its menu entries in their navigation group, its "waiting for you" counts on the home
page, its background work (the `tasks` module, whose `@scheduled` and `@job` functions register
themselves when it is imported), its part of the demo county, its API routes and its indicators
for the statistics app. Adding an app touches its own folder and INSTALLED_APPS, nothing else.

The platform's own pages (home, inbox, units, users, the audit log) are declared by core's
`weibao_app`, as accounts and audit sit below core and know nothing of it.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from decimal import ROUND_HALF_UP, Decimal
from enum import Enum
from functools import cache
from importlib import import_module
from typing import TYPE_CHECKING, Any

from django.apps import apps
from django.urls import reverse
from django.utils.functional import Promise
from django.utils.translation import pgettext_lazy

from weibao.kit.pickers import Picker

if TYPE_CHECKING:
    from django.db.models import Aggregate, Q, QuerySet
    from rest_framework.routers import BaseRouter

    from weibao.accounts.models import Division, User


class Group(Enum):
    """The navigation's groups, in the order the menu shows them."""

    WORKBENCH = pgettext_lazy("menu group", "Workbench")
    SCHOOLS = pgettext_lazy("menu group", "Schools and campus")
    MINORS = pgettext_lazy("menu group", "Minors at risk")
    CASES = pgettext_lazy("menu group", "Linked casework")
    FAMILY = pgettext_lazy("menu group", "Family and community")
    CHECKS = pgettext_lazy("menu group", "Record checks")
    MECHANISMS = pgettext_lazy("menu group", "Mechanisms")
    STATISTICS = pgettext_lazy("menu group", "Statistics")
    SYSTEM = pgettext_lazy("menu group", "System")

    @property
    def label(self) -> str:
        return str(self.value)


GROUP_ORDER = {group: index for index, group in enumerate(Group)}


@dataclass(frozen=True)
class MenuEntry:
    """One menu entry: shown to users who have `perm` (everyone signed in when None), in its
    group at position `order` (explicit: never the order apps happen to be imported in)."""

    label: str | Promise
    url_name: str
    group: Group
    order: int
    perm: str | None = None

    @property
    def url(self) -> str:
        return reverse(self.url_name)


@dataclass(frozen=True)
class WaitingItem:
    """One line in "waiting for you" on the home page."""

    label: str
    count: int
    url: str
    overdue: bool = False


Waiting = Callable[["User"], Iterable[WaitingItem]]


@dataclass(frozen=True)
class SectionRow:
    """One record on a child's page: what it is, a detail, its date, and where it opens."""

    label: str
    detail: str = ""
    on: date | None = None
    url: str = ""


@dataclass(frozen=True)
class PersonSection:
    """One app's part of a child's page (the case-centred view): `rows(user, person)` lists the
    records about `person` that `user` may see, read through the app's own `for_user`, newest
    first. Shown to users who have `perm`, in `order` across apps; a section with no rows is
    left out."""

    title: str | Promise
    rows: Callable[[User, Any], list[SectionRow]]
    order: int
    perm: str | None = None


@dataclass(frozen=True)
class Tile:
    """One count on a user's workbench (the home page): what `count(user)` finds within that
    user's own scope (through the model's `for_user`), shown to users who have `perm`, linking
    to the list at `url_name`. Tiles are ordered by `order` across apps, like the menu."""

    label: str | Promise
    count: Callable[[User], int | Decimal | str]  # a count, a rate, or "<5" / "—"
    url_name: str
    order: int
    perm: str | None = None

    @property
    def url(self) -> str:
        return reverse(self.url_name)


@dataclass(frozen=True)
class Period:
    """A half-open span of days, [start, end): a year, a term, a month."""

    start: date
    end: date

    @classmethod
    def year(cls, year: int) -> Period:
        return cls(date(year, 1, 1), date(year + 1, 1, 1))


Figure = int | Decimal


def percent(part: int, whole: int) -> Decimal:
    """`part` of `whole` in per cent, one decimal, half up (0 when `whole` is 0): the one way a
    share is given as a figure."""
    if not whole:
        return Decimal(0)
    return (Decimal(100) * part / whole).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)


def as_figure(value: Any) -> Figure:
    """An aggregate's result as a figure: a whole number as an int (0 for none), else a Decimal
    (so that a sum of hours reads the same on every database: 127, not 127.0)."""
    if value is None:
        return 0
    if isinstance(value, Decimal):
        return int(value) if value == value.to_integral_value() else value.normalize()
    if isinstance(value, float):
        return as_figure(Decimal(str(value)))
    return int(value)


Where = str | tuple[str, ...]


def midnight(day: date) -> datetime:
    """The local midnight that starts `day`: `stamp__lt=midnight(day)` is `stamp__date__lt=day`
    compared as stored (no per-row conversion, an index can serve it)."""
    from django.utils import timezone

    return timezone.make_aware(datetime.combine(day, time.min))


def _paths(where: Where) -> tuple[str, ...]:
    return (where,) if isinstance(where, str) else where


def within(where: Where, division: Division | None) -> Q:
    """The rows placed under `division` (by its code's prefix; every row for None). `where` is
    the path to the row's Division foreign key, or several paths, the first one set placing the
    row (a person by residence, else by school); "" when the rows are divisions themselves."""
    from django.db.models import Q

    if division is None:
        return Q()
    found = Q()
    unset: dict[str, bool] = {}
    for path in _paths(where):
        found |= Q(**unset, **{_code(path) + "__startswith": division.prefix})
        unset[f"{path}__isnull"] = True
    return found


def _code(path: str) -> str:
    return f"{path}__code" if path else "code"  # "": the rows are divisions themselves


def placement(where: Where) -> Any:
    """The expression of a row's division code (the first of `where`'s paths that is set)."""
    from django.db.models import F
    from django.db.models.functions import Coalesce

    paths = [F(_code(path)) for path in _paths(where)]
    return paths[0] if len(paths) == 1 else Coalesce(*paths)


def last_day(period: Period) -> date:
    """The period's last day."""
    return period.end - timedelta(days=1)


@dataclass(frozen=True)
class Measure:
    """A figure counted from one table by a date in the period, declared rather than coded, so
    that the statistics app counts every township, every period and every category in one
    grouped query, and can list the rows behind a figure.

    The rows are those of `rows()` whose date `on` (a DateField or DateTimeField path, local
    time) lies in the period and whose division `where` (a path to a Division foreign key, or
    several: see `within`) lies under the division. `value` is the aggregate (None: the number
    of rows; or e.g. `Sum("children_reached")`, `Count("person", distinct=True)`). `additive`
    says whether a longer period's figure is the sum of its months' (False for distinct counts:
    a child in two months is one child in the year). `breakdown` is an optional path to a
    choices field by which the figure can be split (an offence group, a drowning's
    circumstance). `school`, the path to the rows' school (schools.School), gives the figure a
    school level: each school's count."""

    rows: Callable[[], QuerySet[Any]]
    on: str
    where: Where
    value: Callable[[], Aggregate] | None = None
    additive: bool = True
    breakdown: str = ""
    depends: tuple[str, ...] = ()  # other models ("app.Model") whose change changes it
    school: str = ""  # the path to the rows' school (schools.School), for the school level

    def when(self, period: Period) -> Q:
        """The rows' condition for `period`: the date in it."""
        from django.db.models import Q

        start: date | datetime = period.start
        end: date | datetime = period.end
        if self.on_datetime:  # from the first day's local midnight: compared as stored
            start, end = midnight(period.start), midnight(period.end)
        return Q(**{f"{self.on}__gte": start, f"{self.on}__lt": end})

    def filtered(self, *, division: Division | None, period: Period) -> QuerySet[Any]:
        """The rows this measure counts in `period` within `division`."""
        return self.rows().filter(self.when(period), within(self.where, division))

    @property
    def on_datetime(self) -> bool:
        from django.db.models import DateTimeField

        model = self.rows().model
        *path, last = self.on.split("__")
        for name in path:
            model = model._meta.get_field(name).related_model
        return isinstance(model._meta.get_field(last), DateTimeField)

    def aggregate(self) -> Aggregate:
        from django.db.models import Count as CountRows

        return self.value() if self.value else CountRows("pk")

    def count(self, *, division: Division | None, period: Period) -> Figure:
        found = self.filtered(division=division, period=period).aggregate(figure=self.aggregate())
        return as_figure(found["figure"])


@dataclass(frozen=True)
class Stock:
    """A figure counted from one table by a condition on the whole period rather than a date in
    it: what stands on the period's last day (schools open, children on the register), or the
    rows with something in the period (children visited at least once). Declared, so that the
    statistics app counts every township and every period asked in one grouped query (one
    conditional aggregate per period).

    The rows are those of `rows()` meeting `when(period)` (a Q, which may hold subqueries),
    placed by `where` as for a Measure; `value` is the aggregate (None: the number of rows).
    `depends` names the other models ("app.Model") that `when` reads, so that their change
    marks the figure stale. A stock is never the sum of its months."""

    rows: Callable[[], QuerySet[Any]]
    where: Where
    when: Callable[[Period], Q]
    value: Callable[[], Aggregate] | None = None
    breakdown: str = ""
    depends: tuple[str, ...] = ()
    school: str = ""  # as a Measure's ("pk" for the schools themselves)
    on = ""  # no date of its own
    additive = False

    def filtered(self, *, division: Division | None, period: Period) -> QuerySet[Any]:
        """The rows this stock counts in `period` within `division`."""
        return self.rows().filter(self.when(period), within(self.where, division))

    def aggregate(self) -> Aggregate:
        from django.db.models import Count as CountRows

        return self.value() if self.value else CountRows("pk")

    def count(self, *, division: Division | None, period: Period) -> Figure:
        found = self.filtered(division=division, period=period).aggregate(figure=self.aggregate())
        return as_figure(found["figure"])


Counted = Measure | Stock


@dataclass(frozen=True)
class Share:
    """Per cent `part` of `whole` (0 when the whole is 0), each a Measure or a Stock over the
    same division and period: the statistics app counts both in grouped queries and keeps the
    two counts beside the share."""

    part: Counted
    whole: Counted

    def figure(self, *, division: Division | None, period: Period) -> Decimal:
        part = self.part.count(division=division, period=period)
        return percent(int(part), int(self.whole.count(division=division, period=period)))


@dataclass(frozen=True)
class Indicator:
    """One figure an app offers the statistics app (the read contract).

    Declared, as a `measure` (a Measure or a Stock: the statistics app counts it for every
    township and period at once) or a `share` of two; or, where neither can say it,
    `compute(division=..., period=...)`, which counts what happened in `period` within
    `division` (a township or village: by its code's prefix; None for the whole county), cell
    by cell. All read the records directly, not through any user's scope: statistics are
    aggregates, and whoever may see them is decided by the statistics app. `doc` says exactly
    what is counted.
    """

    key: str
    label: str | Promise
    unit: str | Promise
    compute: Callable[..., Figure] | None = None
    doc: str = ""
    measure: Counted | None = None
    share: Share | None = None

    def __post_init__(self) -> None:
        given = [x for x in (self.compute, self.measure, self.share) if x is not None]
        if len(given) != 1:
            raise ValueError(
                f"indicator {self.key}: give exactly one of compute, measure and share"
            )

    def figure(self, *, division: Division | None, period: Period) -> Figure:
        if self.measure is not None:
            return self.measure.count(division=division, period=period)
        if self.share is not None:
            return self.share.figure(division=division, period=period)
        assert self.compute is not None
        return self.compute(division=division, period=period)


@dataclass(frozen=True)
class Protected:
    """The fields of one model that weibao.kit.crypto protects, for `manage.py rekey`.

    `encrypted`: fields holding crypto.encrypt tokens. `indexes`: blind-index field -> the
    encrypted field whose value it indexes. `indexes_from`: blind-index field -> related
    encrypted fields ("item.id_number_encrypted"), for a row that holds only the index: the one
    whose value the index was made from gives the new index."""

    model: str  # "app_label.ModelName"
    encrypted: Sequence[str] = ()
    indexes: Mapping[str, str] = field(default_factory=dict)
    indexes_from: Mapping[str, Sequence[str]] = field(default_factory=dict)


@dataclass(frozen=True)
class AppContract:
    """What one app declares. Every part is optional; dotted paths are imported on discovery."""

    urls: str = ""  # the URLconf module, mounted at url_prefix
    url_prefix: str = ""
    menu: Sequence[MenuEntry] = ()
    waiting: Sequence[Waiting] = ()
    tiles: Sequence[Tile] = ()  # counts on the workbench, each within the user's scope
    person_sections: Sequence[PersonSection] = ()  # the app's records on a child's page
    policy: str = ""  # the module that registers the app's `rules` permissions
    tasks: Sequence[str] = ()  # modules whose @scheduled / @job / @task functions register
    demo: str = ""  # a function seed(*, seed, scale, as_of, progress), idempotent
    demo_order: int = 100  # smaller first: an app's demo part runs after those it builds on
    api: str = ""  # a function register(router) adding the app's viewsets
    indicators: Sequence[Indicator] = field(default=())
    pickers: Sequence[Picker] = ()  # search-as-you-type choices, served at core:pick
    protected: Sequence[Protected] = ()  # encrypted fields and blind indexes, for `rekey`


@dataclass(frozen=True)
class Installed:
    label: str
    name: str
    verbose_name: str
    contract: AppContract


@cache
def contracts() -> tuple[Installed, ...]:
    """Every installed app's contract, in INSTALLED_APPS order; imports each app's policy and
    tasks modules, so its permissions, scheduled jobs and job handlers are registered."""
    found = []
    for config in apps.get_app_configs():
        if not config.name.startswith("weibao."):
            continue
        try:
            module = import_module(f"{config.name}.weibao_app")
        except ModuleNotFoundError as error:
            if error.name != f"{config.name}.weibao_app":
                raise
            continue
        contract: AppContract = module.APP
        for path in (contract.policy, *contract.tasks):
            if path:
                import_module(path)
        found.append(Installed(config.label, config.name, str(config.verbose_name), contract))
    return tuple(found)


def resolve(path: str) -> Any:
    """The object at a dotted path "package.module.name"."""
    module, _dot, name = path.rpartition(".")
    return getattr(import_module(module), name)


def menu_entries() -> list[MenuEntry]:
    entries = [entry for app in contracts() for entry in app.contract.menu]
    return sorted(entries, key=lambda entry: (GROUP_ORDER[entry.group], entry.order))


def menu_for(user: Any) -> list[MenuEntry]:
    """The entries this user may open, in menu order."""
    return [e for e in menu_entries() if e.perm is None or user.has_perm(e.perm)]


def menu_groups(user: Any) -> list[tuple[Group, list[MenuEntry]]]:
    """The same entries by group, each group in order; groups with nothing to open left out."""
    grouped: dict[Group, list[MenuEntry]] = {}
    for entry in menu_for(user):
        grouped.setdefault(entry.group, []).append(entry)
    return list(grouped.items())


def person_sections_for(user: Any, person: Any) -> list[tuple[PersonSection, list[SectionRow]]]:
    """The sections of a child's page this user may read, each with its rows, in order."""
    sections = sorted(
        (s for app in contracts() for s in app.contract.person_sections), key=lambda s: s.order
    )
    found = []
    for section in sections:
        if section.perm is not None and not user.has_perm(section.perm):
            continue
        rows = section.rows(user, person)
        if rows:
            found.append((section, rows))
    return found


def tiles_for(user: Any) -> list[Tile]:
    """The workbench tiles this user may see, in order."""
    tiles = [tile for app in contracts() for tile in app.contract.tiles]
    return sorted(
        (t for t in tiles if t.perm is None or user.has_perm(t.perm)), key=lambda t: t.order
    )


def waiting_sources() -> list[Waiting]:
    return [source for app in contracts() for source in app.contract.waiting]


def demo_parts() -> list[tuple[Installed, Callable[..., None]]]:
    parts = [app for app in contracts() if app.contract.demo]
    parts.sort(key=lambda app: app.contract.demo_order)
    return [(app, resolve(app.contract.demo)) for app in parts]


def register_api(router: BaseRouter) -> None:
    for app in contracts():
        if app.contract.api:
            resolve(app.contract.api)(router)


def indicators() -> dict[str, Indicator]:
    """Every app's indicators by key ("<app label>.<key>")."""
    return {
        f"{app.label}.{indicator.key}": indicator
        for app in contracts()
        for indicator in app.contract.indicators
    }


def figure(key: str, *, division: Division | None, period: Period) -> Figure:
    """One indicator's figure: what the statistics app calls."""
    return indicators()[key].figure(division=division, period=period)
