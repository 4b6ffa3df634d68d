"""Statistics: what the app gives the platform (see weibao.core.contract): the leaders'
dashboard, the indicator browser, the year's report, the data pages (populations, targets, the
rows behind a figure), and each unit's own few figures on its home page (tiles)."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.db.models import Count
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from weibao.accounts.models import Division, User
from weibao.core.contract import AppContract, Group, MenuEntry, Tile, indicators

DASH = "—"


def _this_year() -> Any:
    from weibao.stats.periods import periods

    year = timezone.localdate().year
    return periods("year", year, year)[0]


def own_rows_count(user: User, key: str) -> int | str:
    """An indicator's count this year over the rows `user` may see (the model's for_user):
    a school's own records, say. A dash when the indicator is not a declared Measure."""
    indicator = indicators().get(key)
    if indicator is None or indicator.measure is None:
        return DASH
    from weibao.core.contract import Period

    span = _this_year()
    measure = indicator.measure
    rows = measure.filtered(division=None, period=Period(span.start, span.end))
    manager = rows.model.objects
    if not hasattr(manager, "for_user"):
        return DASH
    rows = rows.filter(pk__in=manager.for_user(user).values("pk"))
    aggregate = measure.value() if measure.value else Count("pk")
    return int(rows.aggregate(figure=aggregate)["figure"] or 0)


def township_of(user: User) -> Division | None:
    code = user.organisation.division.code
    if len(code) < 9:
        return None
    return Division.objects.filter(code=code[:9] + "000", level=Division.Level.TOWNSHIP).first()


def engine_figure(user: User, key: str, *, own_township: bool) -> Decimal | int | str:
    """An engine cell this year for `user` (suppressed as the engine says: "<5")."""
    from weibao.stats import dashboard, engine
    from weibao.stats.definitions import definitions

    if key not in definitions():
        return DASH
    division = township_of(user) if own_township else None
    if own_township and division is None:
        return DASH
    cell = engine.cell(key, _this_year(), division=division, viewer=user)
    figure = dashboard.shown(cell)
    return DASH if figure == "" else figure


def school_sessions(user: User) -> Decimal | int | str:
    return own_rows_count(user, "education.sessions_held")


def township_deaths(user: User) -> Decimal | int | str:
    return engine_figure(user, "drowning.deaths", own_township=True)


def township_visits(user: User) -> Decimal | int | str:
    return engine_figure(user, "care.care_visit_coverage", own_township=True)


def minors_prosecuted(user: User) -> Decimal | int | str:
    return engine_figure(user, "crimes.minors_prosecuted", own_township=False)


APP = AppContract(
    urls="weibao.stats.urls",
    url_prefix="stats/",
    menu=[
        MenuEntry(
            _("Leaders' dashboard"), "stats:home", Group.STATISTICS, 10, "stats.view_dashboard"
        ),
        MenuEntry(
            _("Indicator browser"), "stats:browse", Group.STATISTICS, 20, "stats.browse_figures"
        ),
        MenuEntry(
            _("Year's report"), "stats:report", Group.STATISTICS, 30, "stats.download_report"
        ),
        MenuEntry(
            _("Minors' populations"),
            "stats:data_populations",
            Group.STATISTICS,
            80,
            "stats.view_populations",
        ),
        MenuEntry(_("Targets"), "stats:data_targets", Group.STATISTICS, 81, "stats.view_targets"),
    ],
    tiles=[
        Tile(
            _("Law-education sessions this year"),
            school_sessions,
            "education:session_list",
            200,
            "stats.tile_school",
        ),
        Tile(
            _("Drowning deaths of minors this year in the township"),
            township_deaths,
            "stats:browse",
            201,
            "stats.tile_township",
        ),
        Tile(
            _("Left-behind children visited this year in the township (%)"),
            township_visits,
            "stats:browse",
            202,
            "stats.tile_township",
        ),
        Tile(
            _("Minors prosecuted this year"),
            minors_prosecuted,
            "stats:home",
            203,
            "stats.tile_procuratorate",
        ),
    ],
    policy="weibao.stats.policy",
    tasks=["weibao.stats.tasks"],
)
