"""Retention rules per record kind, the runs that apply them, the records they archived, and
the personal-information impact assessments (PIPL Art. 55-56).

A rule is never edited in place: a change closes the current rule (`valid_to`) and opens a new
one, so the history of what the county decided stays readable. None of these records is about
a child: the coordinator and the auditor read them whole (no division scope).
"""

from __future__ import annotations

from datetime import date, timedelta
from typing import TYPE_CHECKING

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from weibao.accounts.policy import is_auditor, is_county_coordinator

if TYPE_CHECKING:
    from weibao.accounts.models import User

# 网络安全法: network logs kept no less than six months (Art. 21(3) of the 2016 text; the
# amendment in force since 2026-01-01 renumbers it, so messages name the duty, not the number).
AUDIT_MINIMUM_DAYS = 183
# PIPL Art. 56: an impact assessment's report is kept at least three years.
PIA_KEEP_YEARS = 3
MAX_KEEP_DAYS = 100 * 366


def years_after(day: date, years: int) -> date:
    """The same calendar day `years` later (29 February becomes 28 February)."""
    try:
        return day.replace(year=day.year + years)
    except ValueError:
        return day.replace(year=day.year + years, day=28)


def reads_retention(user: User) -> bool:
    return bool(is_county_coordinator(user) or is_auditor(user))


class Kind(models.TextChoices):
    AUDIT_EVENTS = "audit_events", _("audit events")
    ATRISK_FILES = "atrisk_files", _("closed at-risk files of adults")
    CASES = "cases", _("closed mandatory reports of adults")
    CHECK_ITEMS = "check_items", _("record-check results")


class Action(models.TextChoices):
    REPORT = "report", _("report as due (keep)")
    ARCHIVE = "archive", _("archive (hide from lists)")
    ERASE = "erase", _("erase the personal data")


# What each kind's period counts from, and what may be done with it when it is due.
COUNTS_FROM = {
    Kind.AUDIT_EVENTS: _("the event's time"),
    Kind.ATRISK_FILES: _("the child's 18th birthday (file closed)"),
    Kind.CASES: _(
        "the child's 18th birthday (report closed; 18 years after filing if unidentified)"
    ),
    Kind.CHECK_ITEMS: _("the day of the check"),
}
# Audit events are only reported: deleting them would break the hash chain.
ACTIONS = {
    Kind.AUDIT_EVENTS: (Action.REPORT,),
    Kind.ATRISK_FILES: (Action.REPORT, Action.ARCHIVE, Action.ERASE),
    Kind.CASES: (Action.REPORT, Action.ARCHIVE, Action.ERASE),
    Kind.CHECK_ITEMS: (Action.REPORT, Action.ARCHIVE, Action.ERASE),
}


class RuleQuerySet(models.QuerySet["RetentionRule"]):
    def for_user(self, user: User) -> RuleQuerySet:
        return self if reads_retention(user) else self.none()

    def current(self) -> RuleQuerySet:
        return self.filter(valid_to__isnull=True)


class RetentionRule(models.Model):
    kind = models.CharField(_("record kind"), max_length=20, choices=Kind.choices)
    keep_days = models.PositiveIntegerField(
        _("days to keep"),
        validators=[MinValueValidator(1), MaxValueValidator(MAX_KEEP_DAYS)],
        help_text=_("Counted from the day the kind's period starts (see the list)."),
    )
    action = models.CharField(_("when due"), max_length=10, choices=Action.choices)
    reason = models.CharField(_("reason for the rule"), max_length=300, blank=True)
    valid_from = models.DateTimeField(_("in force from"), default=timezone.now)
    valid_to = models.DateTimeField(_("in force until"), null=True, blank=True)
    set_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("set by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    objects = RuleQuerySet.as_manager()

    class Meta:
        verbose_name = _("retention rule")
        verbose_name_plural = _("retention rules")
        ordering = ["kind", "-valid_from", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["kind"], condition=Q(valid_to__isnull=True), name="retention_one_rule"
            ),
            models.CheckConstraint(condition=Q(keep_days__gte=1), name="retention_keep_positive"),
            models.CheckConstraint(
                condition=~Q(kind="audit_events") | Q(keep_days__gte=AUDIT_MINIMUM_DAYS),
                name="retention_audit_minimum",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()}: {self.keep_days}"

    def clean(self) -> None:
        errors: dict[str, list[ValidationError]] = {}
        if (
            self.kind == Kind.AUDIT_EVENTS
            and self.keep_days is not None
            and self.keep_days < AUDIT_MINIMUM_DAYS
        ):
            errors["keep_days"] = [
                ValidationError(
                    _(
                        "Audit events must be kept at least %(days)s days: the Cybersecurity "
                        "Law requires network logs to be kept at least six months."
                    ),
                    params={"days": AUDIT_MINIMUM_DAYS},
                    code="audit_minimum",
                )
            ]
        if self.kind in ACTIONS and self.action and self.action not in ACTIONS[Kind(self.kind)]:
            errors["action"] = [
                ValidationError(
                    _("This record kind can only be reported as due: %(kind)s."),
                    params={"kind": self.get_kind_display()},
                    code="action_not_allowed",
                )
            ]
        if errors:
            raise ValidationError(errors)

    @property
    def counts_from(self) -> str:
        return str(COUNTS_FROM.get(Kind(self.kind), ""))

    @property
    def keep_years(self) -> str:
        return f"{self.keep_days / 365.25:.1f}"

    def cutoff(self, as_of: date) -> date:
        """Records whose period started before this day are due."""
        return as_of - timedelta(days=self.keep_days)


class RunQuerySet(models.QuerySet["RetentionRun"]):
    def for_user(self, user: User) -> RunQuerySet:
        return self if reads_retention(user) else self.none()


class RetentionRun(models.Model):
    """One application of the rules: what was due and what was done, per kind."""

    started_at = models.DateTimeField(_("started at"), default=timezone.now, db_index=True)
    finished_at = models.DateTimeField(_("finished at"), null=True, blank=True)
    as_of = models.DateField(_("as of"))
    dry_run = models.BooleanField(_("dry run"), default=False)
    started_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("started by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    # kind -> {"rule": pk, "action": ..., "keep_days": n, "due": n, "archived": n, "erased": n}
    counts = models.JSONField(_("counts"), default=dict, blank=True)

    objects = RunQuerySet.as_manager()

    class Meta:
        verbose_name = _("retention run")
        verbose_name_plural = _("retention runs")
        ordering = ["-started_at", "-id"]

    def __str__(self) -> str:
        return _("retention run %(n)s") % {"n": self.pk}

    def get_absolute_url(self) -> str:
        return reverse("retention:run_detail", args=[self.pk])

    @property
    def rows(self) -> list[dict]:
        labels = dict(Kind.choices)
        actions = dict(Action.choices)
        return [
            {
                **row,
                "kind_label": labels.get(kind, kind),
                "action_label": actions.get(row.get("action", ""), ""),
            }
            for kind, row in self.counts.items()
        ]


class Archived(models.Model):
    """A record archived by a rule: hidden from lists (kept, not erased)."""

    kind = models.CharField(_("record kind"), max_length=20, choices=Kind.choices)
    object_id = models.CharField(_("record"), max_length=64)
    archived_at = models.DateTimeField(_("archived at"), default=timezone.now)
    run = models.ForeignKey(
        RetentionRun, verbose_name=_("retention run"), on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        verbose_name = _("archived record")
        verbose_name_plural = _("archived records")
        constraints = [
            models.UniqueConstraint(fields=["kind", "object_id"], name="retention_archived_once")
        ]

    def __str__(self) -> str:
        return f"{self.kind} {self.object_id}"


def archived_ids(kind: str) -> models.QuerySet[Archived, str]:
    """The ids (as text) of the records of `kind` that a rule archived, for lists to leave out."""
    return Archived.objects.filter(kind=kind).values_list("object_id", flat=True)


class AssessmentQuerySet(models.QuerySet["ImpactAssessment"]):
    def for_user(self, user: User) -> AssessmentQuerySet:
        return self if reads_retention(user) else self.none()


class ImpactAssessment(models.Model):
    """个人信息保护影响评估: one per processing purpose (PIPL Art. 55-56), kept >= 3 years."""

    purpose = models.CharField(_("processing purpose"), max_length=200)
    legal_basis = models.TextField(_("legal basis"), max_length=2000)
    data_kinds = models.TextField(_("personal data processed"), max_length=2000)
    who_may_see = models.TextField(_("who may see it"), max_length=2000)
    risks = models.TextField(_("risks to the people concerned"), max_length=5000)
    measures = models.TextField(_("protective measures"), max_length=5000)
    assessed_on = models.DateField(_("assessed on"))
    assessed_by = models.CharField(_("assessed by"), max_length=200)
    next_review = models.DateField(_("next review"))
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("recorded by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField(_("recorded at"), default=timezone.now)
    updated_at = models.DateTimeField(_("updated at"), default=timezone.now)

    objects = AssessmentQuerySet.as_manager()

    class Meta:
        verbose_name = _("impact assessment")
        verbose_name_plural = _("impact assessments")
        ordering = ["purpose", "-assessed_on", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(next_review__gt=models.F("assessed_on")),
                name="retention_pia_review_after",
            )
        ]

    def __str__(self) -> str:
        return self.purpose

    def get_absolute_url(self) -> str:
        return reverse("retention:pia_detail", args=[self.pk])

    def clean(self) -> None:
        errors = {}
        today = timezone.localdate()
        if self.assessed_on and self.assessed_on > today:
            errors["assessed_on"] = _("The assessment date cannot be in the future.")
        if self.assessed_on and self.next_review and self.next_review <= self.assessed_on:
            errors["next_review"] = _("The next review must come after the assessment.")
        if errors:
            raise ValidationError(errors)

    @property
    def keep_until(self) -> date:
        return years_after(self.assessed_on, PIA_KEEP_YEARS)

    @property
    def review_overdue(self) -> bool:
        return self.next_review < timezone.localdate()
