"""The statistics app's own records: the minors' population entered per division and year (the
denominators), the targets per definition and year, and the cache of computed figures with the
marks that make them stale when their sources change.

Population figures and targets are county-wide facts, not anybody's records: every statistics
viewer may read them (`for_user`), only the county coordinator changes them (policy.py).
"""

from __future__ import annotations

from typing import Self

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from weibao.accounts.models import Division, User
from weibao.accounts.policy import in_school, works_with_data

FIRST_YEAR, LAST_YEAR = 2000, 2099


class ReadableQuerySet(models.QuerySet):
    def for_user(self, user: User) -> Self:
        """Every statistics viewer reads the county's population figures and targets."""
        if not works_with_data(user) or in_school(user):
            return self.none()
        return self.all()


class Population(models.Model):
    """The minors (under 18) of a division (the county or a township) in a year, as entered."""

    class Source(models.TextChoices):
        ENTERED = "entered", _("entered figure")
        REGISTER = "register", _("people register")

    division = models.ForeignKey(
        Division,
        verbose_name=_("division"),
        on_delete=models.PROTECT,
        related_name="+",
        limit_choices_to={"level__in": [Division.Level.COUNTY, Division.Level.TOWNSHIP]},
    )
    year = models.PositiveSmallIntegerField(
        _("year"), validators=[MinValueValidator(FIRST_YEAR), MaxValueValidator(LAST_YEAR)]
    )
    minors = models.PositiveIntegerField(
        _("minors"), validators=[MinValueValidator(1), MaxValueValidator(10_000_000)]
    )
    source = models.CharField(
        pgettext_lazy("figure", "source"),
        max_length=10,
        choices=Source.choices,
        default=Source.ENTERED,
    )
    note = models.CharField(_("note"), max_length=200, blank=True)
    entered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("entered by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    entered_at = models.DateTimeField(_("entered at"), auto_now=True)

    objects = ReadableQuerySet.as_manager()

    class Meta:
        verbose_name = _("minors' population")
        verbose_name_plural = _("minors' populations")
        ordering = ["-year", "division__code"]
        constraints = [
            models.UniqueConstraint(fields=["division", "year"], name="stats_population_one")
        ]

    def __str__(self) -> str:
        return f"{self.division} {self.year}: {self.minors}"


class TargetState(models.TextChoices):
    """Where a figure stands against its year's target."""

    MET = "met", pgettext_lazy("target", "met")
    NOT_MET = "not_met", pgettext_lazy("target", "not met")
    NO_TARGET = "no_target", pgettext_lazy("target", "no target set")
    NOT_YET_KNOWN = "not_yet_known", pgettext_lazy("target", "not known yet")


class Target(models.Model):
    """The target for one definition in one year (one at a time: a change replaces it, and the
    audit log keeps what it was)."""

    class Comparison(models.TextChoices):
        BELOW_LAST_YEAR = "below_last_year", _("below last year")
        AT_MOST = "at_most", _("at most")
        AT_LEAST = "at_least", _("at least")
        ZERO = "zero", _("zero")

    key = models.CharField(_("figure"), max_length=80)
    year = models.PositiveSmallIntegerField(
        _("year"), validators=[MinValueValidator(FIRST_YEAR), MaxValueValidator(LAST_YEAR)]
    )
    comparison = models.CharField(_("target"), max_length=20, choices=Comparison.choices)
    value = models.DecimalField(
        pgettext_lazy("target", "value"), max_digits=14, decimal_places=2, null=True, blank=True
    )
    set_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("set by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    set_at = models.DateTimeField(_("set at"), auto_now=True)

    objects = ReadableQuerySet.as_manager()

    class Meta:
        verbose_name = _("target")
        verbose_name_plural = _("targets")
        ordering = ["-year", "key"]
        constraints = [models.UniqueConstraint(fields=["key", "year"], name="stats_target_one")]

    def __str__(self) -> str:
        return f"{self.key} {self.year}"


class FigureCache(models.Model):
    """A definition's computed figures for one period and one category (blank: all), for the
    county and every township at once: `figures` maps each division's code (the county's for the
    county) to [numerator, denominator, value, denominator source], the numbers as decimal
    strings (null where there is none). One row per table, not per cell: a recompute writes and
    a dashboard reads a few rows, not thousands.

    `sources_version` is the newest `Stale` mark of its sources when it was computed: a newer
    mark makes it stale."""

    key = models.CharField(max_length=80)
    period = models.CharField(max_length=16)
    category = models.CharField(max_length=60, blank=True, default="")
    figures = models.JSONField(default=dict)
    computed_at = models.DateTimeField()
    sources_version = models.BigIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["key", "period", "category"], name="stats_figures_one")
        ]

    def __str__(self) -> str:
        return f"{self.key} {self.period} {self.category}"


class Stale(models.Model):
    """A mark that a source (an indicator key, or MINORS) changed: figures computed before it
    are stale. Rows are only added (no contention between writers); the nightly job keeps the
    newest per key."""

    key = models.CharField(max_length=80, db_index=True)
    marked_at = models.DateTimeField(auto_now_add=True)

    def __str__(self) -> str:
        return self.key
