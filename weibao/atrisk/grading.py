"""The grade of an at-risk minor, derived from the records: never typed by hand.

Follows the reference's tier table (§1e), built on 预防未成年人犯罪法 Art. 28 (不良行为), Art. 38
(严重不良行为), Art. 44 (special-education grounds) and 刑法 Art. 17 (age of criminal
responsibility, counted in 周岁 on the day of the act). The function is pure: it gets plain facts
and the county's parameters, and returns the grade with the rule that produced it, so the page can
show why a minor has their grade.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date, timedelta

from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import gettext_noop

from weibao.lib import idnumber


class Grade(models.TextChoices):
    WATCH = "T0", _("T0 watch")
    MISCONDUCT = "T1", _("T1 misconduct")
    PERSISTENT = "T1P", _("T1+ serious or persistent misconduct")
    SERIOUS = "T2", _("T2 serious misconduct")
    UNDER_AGE_CRIME = "T3", _("T3 criminal-law conduct under the age of responsibility")
    SPECIAL_EDUCATION = "T3P", _("T3+ special-education candidate")
    CRIMINAL = "T4", _("T4 in the criminal process")


RANK = {grade: rank for rank, grade in enumerate(Grade.values)}


class CrimeClass(models.TextChoices):
    """For SB00 conduct: which paragraph of 刑法 Art. 17 the act falls under."""

    OTHER = "other", _("other crime (liable from 16)")
    EIGHT_GRAVE = "art17_2", _("one of the eight grave crimes of Art. 17(2) (liable from 14)")
    HOMICIDE = (
        "art17_3",
        _("intentional homicide or injury causing death or cruel injury, Art. 17(3)"),
    )


# Measures that put a minor in the criminal process (T4).
CRIMINAL_MEASURES = frozenset({"non_prosecution", "conditional_non_prosecution", "criminal_case"})


@dataclass(frozen=True)
class EventFacts:
    """What grading needs to know about one misconduct event."""

    on: date
    codes: frozenset[str]
    repeated: bool = False
    refuses_correction: bool = False
    grave: bool = False
    crime_class: str = CrimeClass.OTHER

    @property
    def misconduct(self) -> bool:
        return any(code.startswith("BL") for code in self.codes)

    @property
    def serious(self) -> bool:
        return any(code.startswith("SB") and code != "SB00" for code in self.codes)

    @property
    def criminal_conduct(self) -> bool:
        return "SB00" in self.codes


@dataclass(frozen=True)
class Params:
    """The county-editable thresholds grading uses (a GradingRuleSet supplies them)."""

    repeat_threshold: int = 3
    repeat_window_days: int = 365


@dataclass(frozen=True)
class Grading:
    grade: str
    rule: str  # a short code, such as "T2:SB04"
    reason: str  # the explanation's message id, translated when shown (reason_text)
    args: dict[str, str | int] = field(default_factory=dict)

    @property
    def rank(self) -> int:
        return RANK[self.grade]

    @property
    def text(self) -> str:
        return reason_text(self.reason, self.args)


def reason_text(reason: str, args: Mapping[str, str | int]) -> str:
    """A stored reason in the reader's language: reasons are kept as message ids and their
    values, so a grade recorded by one user reads right for every other."""
    from django.utils.translation import gettext

    try:
        return gettext(reason) % args if args else gettext(reason)
    except (KeyError, TypeError, ValueError):
        return reason


@dataclass(frozen=True)
class GradeInput:
    birth_date: date
    on: date
    events: tuple[EventFacts, ...] = ()
    measure_kinds: frozenset[str] = frozenset()
    risk_factors: frozenset[str] = field(default_factory=frozenset)


def criminally_responsible(age: int, crime_class: str) -> bool:
    """刑法 Art. 17: fully from 16; from 14 for the eight grave crimes. From 12 only with the
    Supreme Procuratorate's approval, so that route counts only once a criminal process is
    recorded (a measure), never by age alone."""
    if age >= 16:
        return True
    return age >= 14 and crime_class in (CrimeClass.EIGHT_GRAVE, CrimeClass.HOMICIDE)


def _codes(events: Iterable[EventFacts], prefix: str) -> str:
    found = sorted({c for e in events for c in e.codes if c.startswith(prefix)})
    return ",".join(found)


def grade(facts: GradeInput, params: Params = Params()) -> Grading:
    """The grade for these facts, with the rule that produced it (highest tier wins)."""
    criminal = sorted(facts.measure_kinds & CRIMINAL_MEASURES)
    if criminal:
        return Grading(
            Grade.CRIMINAL,
            f"T4:{criminal[0]}",
            gettext_noop("In the criminal process: a measure of that kind is recorded."),
        )
    window_start = facts.on - timedelta(days=params.repeat_window_days)
    recent = [e for e in facts.events if e.on >= window_start]

    # SB00 with the age test on the day of each act.
    under_age: list[tuple[EventFacts, int]] = []
    for event in facts.events:
        if not event.criminal_conduct or event.on < facts.birth_date:
            continue
        age = idnumber.age_on(facts.birth_date, event.on)
        if criminally_responsible(age, event.crime_class):
            return Grading(
                Grade.CRIMINAL,
                f"T4:SB00@{age}",
                gettext_noop(
                    "Criminal-law conduct at %(age)d (full years on %(day)s): criminally "
                    "responsible under Criminal Law Art. 17."
                ),
                {"age": age, "day": event.on.isoformat()},
            )
        under_age.append((event, age))

    serious = [e for e in facts.events if e.serious]
    if under_age or serious:
        grave_events = [e for e in facts.events if (e.serious or e.criminal_conduct)]
        flags = []
        if any(e.grave for e in grave_events):
            flags.append("44(1)")
        recent_serious = [e for e in recent if e.serious or e.criminal_conduct]
        if any(e.repeated for e in grave_events) or len(recent_serious) >= params.repeat_threshold:
            flags.append("44(2)")
        if any(e.refuses_correction for e in grave_events):
            flags.append("44(3)")
        if flags:
            return Grading(
                Grade.SPECIAL_EDUCATION,
                "T3P:" + ",".join(flags),
                gettext_noop(
                    "Serious misconduct or criminal-law conduct with grounds of Art. 44 %(items)s: "
                    "a candidate for the special-education committee's assessment."
                ),
                {"items": ", ".join(flags)},
            )
        if under_age:
            event, age = under_age[-1]
            return Grading(
                Grade.UNDER_AGE_CRIME,
                f"T3:SB00@{age}",
                gettext_noop(
                    "Criminal-law conduct at %(age)d (full years on %(day)s): under the age of "
                    "criminal responsibility (Criminal Law Art. 17)."
                ),
                {"age": age, "day": event.on.isoformat()},
            )
        return Grading(
            Grade.SERIOUS,
            "T2:" + _codes(serious, "SB"),
            gettext_noop("Serious misconduct (Art. 38): %(codes)s."),
            {"codes": _codes(serious, "SB")},
        )

    misconduct = [e for e in facts.events if e.misconduct]
    if misconduct:
        codes = _codes(misconduct, "BL")
        recent_bad = [e for e in recent if e.misconduct]
        if any(e.refuses_correction or e.grave for e in misconduct):
            return Grading(
                Grade.PERSISTENT,
                "T1P:flag",
                gettext_noop("Misconduct (%(codes)s) that is serious or not corrected (Art. 31)."),
                {"codes": codes},
            )
        if any(e.repeated for e in misconduct) or len(recent_bad) >= params.repeat_threshold:
            return Grading(
                Grade.PERSISTENT,
                "T1P:repeat",
                gettext_noop("Misconduct (%(codes)s) repeated: %(n)d events in %(days)d days."),
                {"codes": codes, "n": len(recent_bad), "days": params.repeat_window_days},
            )
        return Grading(
            Grade.MISCONDUCT,
            "T1:" + codes,
            gettext_noop("Misconduct (Art. 28): %(codes)s."),
            {"codes": codes},
        )
    if facts.risk_factors:
        return Grading(
            Grade.WATCH,
            "T0:factors",
            gettext_noop("Risk factors only: %(factors)s."),
            {"factors": ", ".join(sorted(facts.risk_factors))},
        )
    return Grading(Grade.WATCH, "T0:none", gettext_noop("No misconduct recorded."))
