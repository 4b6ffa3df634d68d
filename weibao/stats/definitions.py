"""The statistics' definitions: what each figure is, made of the apps' indicators.

One definition per figure, after DHIS2's indicators: a numerator (an app's indicator, by its
key "<app>.<key>"), a denominator (None, another indicator, or MINORS: the minors of the
division in the period's year), a factor (1, 100, 10,000, 100,000), which direction is better,
whether its counts are of children (small cells suppressed for viewers outside the lead
agencies) and the lowest level it can be split to.

The statistics app's own definitions (rates and shares) come first; then one plain count per
installed app indicator, keyed by the indicator's own key (so the counts behind every rate can
be shown and browsed too). A definition whose indicator is not installed is simply absent: a
missing app has no figures yet.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _
from django.utils.translation import override, pgettext_lazy

from weibao.core import contract

MINORS = "MINORS"  # the denominator "minors of the division that year"
# Where a MINORS denominator comes from, chosen per definition (and shown beside each figure):
ENTERED_FIRST = "entered"  # the population the county entered, else the people register's
REGISTER_ONLY = "register"  # the people register's minors always (children the platform knows)
COUNTY = "county"
TOWNSHIP = "township"
LOWER, HIGHER = "lower", "higher"


@dataclass(frozen=True)
class Definition:
    key: str
    label: str | Promise
    unit: str | Promise
    numerator: str
    denominator: str | None = None
    factor: int = 1
    better: str = ""  # "lower" | "higher" | ""
    small_cells: bool = True
    lowest_level: str = TOWNSHIP
    doc: str = ""
    minors_from: str = ENTERED_FIRST  # for a MINORS denominator

    def __post_init__(self) -> None:
        if self.factor not in (1, 100, 10_000, 100_000):
            raise ValueError(f"definition {self.key}: factor must be 1, 100, 10,000 or 100,000")
        if self.better not in ("", LOWER, HIGHER):
            raise ValueError(f"definition {self.key}: better is 'lower', 'higher' or ''")
        if self.lowest_level not in (COUNTY, TOWNSHIP):
            raise ValueError(f"definition {self.key}: lowest level is 'county' or 'township'")
        if self.minors_from not in (ENTERED_FIRST, REGISTER_ONLY):
            raise ValueError(f"definition {self.key}: minors from 'entered' or 'register'")

    @property
    def sources(self) -> tuple[str, ...]:
        """The indicator keys (and MINORS) whose change changes this figure."""
        return tuple(k for k in (self.numerator, self.denominator) if k)

    @property
    def is_rate(self) -> bool:
        return self.denominator is not None

    @property
    def indicator(self) -> contract.Indicator:
        return contract.indicators()[self.numerator]

    @property
    def measure(self) -> contract.Counted | None:
        return self.indicator.measure


PER_CENT = pgettext_lazy("indicator unit", "%")
PER_10K = _("per 10,000 minors")
PER_100K = _("per 100,000 minors")

OWN: tuple[Definition, ...] = (
    Definition(
        key="stats.crime_rate",
        label=_("Minors' crime rate"),
        unit=PER_10K,
        numerator="crimes.minors_prosecuted",
        denominator=MINORS,
        factor=10_000,
        better=LOWER,
        doc="Minors prosecuted or sentenced in the period per 10,000 minors of the division "
        "that year (reference §11).",
    ),
    Definition(
        key="stats.drowning_rate",
        label=_("Minors' drowning death rate"),
        unit=PER_100K,
        numerator="drowning.deaths",
        denominator=MINORS,
        factor=100_000,
        better=LOWER,
        doc="Drowning deaths of minors in the period per 100,000 minors of the division that year.",
    ),
    Definition(
        key="stats.atrisk_rate",
        label=_("At-risk files opened per 10,000 minors"),
        unit=PER_10K,
        numerator="atrisk.atrisk_files_opened",
        denominator=MINORS,
        factor=10_000,
        minors_from=REGISTER_ONLY,
        doc="At-risk files opened in the period per 10,000 minors in the people register living "
        "in the division on 1 July that year: the register is where those children are known, "
        "so it is the denominator even where the county entered its population.",
    ),
    Definition(
        key="stats.share_14_16",
        label=_("Share of minor suspects aged 14 to 16"),
        unit=PER_CENT,
        numerator="crimes.suspects_14_16",
        denominator="crimes.minor_suspects",
        factor=100,
        better=LOWER,
        doc="Minor suspects aged 14 to 16 at the offence, per cent of all minor suspects.",
    ),
    Definition(
        key="stats.share_under_14",
        label=_("Share of minor suspects under 14"),
        unit=PER_CENT,
        numerator="crimes.suspects_under_14",
        denominator="crimes.minor_suspects",
        factor=100,
        better=LOWER,
        doc="Minor suspects under 14 at the offence, per cent of all minor suspects.",
    ),
    Definition(
        key="stats.gang_share",
        label=_("Gang share of prosecuted cases"),
        unit=PER_CENT,
        numerator="crimes.prosecuted_gang_cases",
        denominator="crimes.prosecuted_cases",
        factor=100,
        better=LOWER,
        doc="Prosecuted cases of joint or gang crime, per cent of all prosecuted cases "
        "involving minors.",
    ),
)

# Counts that go lower when things go better (the speech's "double decrease" and its parts).
_LOWER_COUNTS = frozenset(
    {
        "crimes.minors_arrested",
        "crimes.minors_prosecuted",
        "crimes.minor_suspects",
        "crimes.suspects_14_16",
        "crimes.suspects_under_14",
        "crimes.minor_victims",
        "crimes.sexual_assault_victims",
        "drowning.deaths",
        "drowning.incidents",
    }
)


def _is_share(indicator: contract.Indicator) -> bool:
    with override("en"):
        return str(indicator.unit).strip() == "%"


def _plain(key: str, indicator: contract.Indicator) -> Definition:
    """An app's indicator as it is: factor 1, no denominator, its own unit."""
    return Definition(
        key=key,
        label=indicator.label,
        unit=indicator.unit,
        numerator=key,
        better=LOWER if key in _LOWER_COUNTS else "",
        # A share of a school's or a township's whole is no child's figure; a count may be.
        small_cells=not _is_share(indicator),
        doc=indicator.doc,
    )


@cache
def _all() -> dict[str, Definition]:
    installed = contract.indicators()
    found: dict[str, Definition] = {}
    for definition in OWN:
        if all(key == MINORS or key in installed for key in definition.sources):
            found[definition.key] = definition
    for key, indicator in installed.items():
        found.setdefault(key, _plain(key, indicator))
    return found


def definitions() -> dict[str, Definition]:
    """Every definition whose indicators are installed, by key, own definitions first."""
    return dict(_all())


def get(key: str) -> Definition:
    """The definition with this key (KeyError when it is not installed)."""
    return _all()[key]
