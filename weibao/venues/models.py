"""Venues near schools (校园周边): the registry of venues, the distance rules with their
history, the distance violations found by checking every venue against every school, inspection
plans and records with their findings, rectification orders, and schools' concerns.

Who reaches what (`for_user`), in the vocabulary's words (weibao.accounts.policy):
- county coordinators and the education bureau read every venue;
- a supervising unit (culture and tourism, market regulation, public security) reads the venues
  of the kinds it supervises (kinds.SUPERVISOR_KIND), a police station those of its division;
- a township government or village committee reads the venues of its division;
- a school reads the venues inside its rule circles (an open distance violation of the school);
- inspections, orders and findings follow their venue, except that a school sees none of them;
- concerns: the school that raised it, the venue's readers among supervising units, the county.
"""

from __future__ import annotations

from datetime import date

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from weibao.accounts.models import Division, Organisation, User
from weibao.accounts.policy import (
    in_education_bureau,
    in_school,
    in_unit_of_kind,
    is_county_coordinator,
    works_with_data,
)
from weibao.schools.models import School
from weibao.venues.kinds import SUPERVISING_KINDS, VenueKind, kinds_supervised_by

K = Organisation.Kind
# Days a venue has to put a finding right, unless the inspector sets another deadline.
RECTIFICATION_DAYS = getattr(settings, "VENUES_RECTIFICATION_DAYS", 15)
# A venue with findings in this many inspections within REPEAT_WINDOW_DAYS is a repeat offender.
REPEAT_FINDINGS = getattr(settings, "VENUES_REPEAT_FINDINGS", 2)
REPEAT_WINDOW_DAYS = 365

# The words of this app's scope, built on the vocabulary (policy.py says the rules in them).
in_supervising_unit = in_unit_of_kind(*SUPERVISING_KINDS, name="in_supervising_unit")
in_township_government = in_unit_of_kind(K.TOWNSHIP, name="in_township_government")
in_village_committee = in_unit_of_kind(K.VILLAGE_COMMITTEE, name="in_village_committee")
sees_all_venues = is_county_coordinator | in_education_bureau
sees_area_venues = in_township_government | in_village_committee


def _division_q(user: User, path: str) -> Q:
    prefix = user.scope.division_prefix
    if not prefix:
        return Q(pk__in=[])
    return Q(**{f"{path}__code__startswith": prefix})


def supervised_q(user: User, prefix: str = "") -> Q:
    """The venues a supervising unit's user reads: its kinds (in its division, for a police
    station)."""
    condition = Q(**{f"{prefix}kind__in": kinds_supervised_by(user.organisation.kind)})
    if user.organisation.is_territorial:
        condition &= _division_q(user, f"{prefix}village")
    return condition


class VenueQuerySet(models.QuerySet["Venue"]):
    def for_user(self, user: User) -> VenueQuerySet:
        if not works_with_data(user):
            return self.none()
        if sees_all_venues(user):
            return self
        if in_supervising_unit(user):
            return self.filter(supervised_q(user))
        if sees_area_venues(user):
            return self.filter(_division_q(user, "village"))
        if in_school(user):
            return self.filter(
                pk__in=Violation.objects.open()
                .filter(school__organisation_id=user.organisation_id)
                .values("venue")
            )
        return self.none()

    def in_township(self, township: Division) -> VenueQuerySet:
        return self.filter(village__code__startswith=township.prefix)

    def operating(self) -> VenueQuerySet:
        """Venues not closed: those the distance rules apply to."""
        return self.exclude(status=Venue.Status.CLOSED)

    def licence_expired(self, today: date | None = None) -> VenueQuerySet:
        return self.operating().filter(licence_expires__lt=today or timezone.localdate())


class Venue(models.Model):
    """A venue in the registry (the reference's V01–V12)."""

    Kind = VenueKind

    class Status(models.TextChoices):
        OPEN = "open", pgettext_lazy("venue status", "open")
        SUSPENDED = "suspended", pgettext_lazy("venue status", "suspended")
        CLOSED = "closed", pgettext_lazy("venue status", "closed")

    kind = models.CharField(_("kind of venue"), max_length=3, choices=VenueKind.choices)
    name = models.CharField(pgettext_lazy("venue", "name"), max_length=100)
    credit_code = models.CharField(_("unified social credit code"), max_length=18, blank=True)
    licence_number = models.CharField(_("licence number"), max_length=50, blank=True)
    licence_expires = models.DateField(_("licence expires on"), null=True, blank=True)
    operator = models.CharField(_("operator"), max_length=50, blank=True)
    phone = models.CharField(_("phone"), max_length=20, blank=True)
    address = models.CharField(pgettext_lazy("place", "address"), max_length=200, blank=True)
    village = models.ForeignKey(
        Division,
        verbose_name=_("village"),
        on_delete=models.PROTECT,
        related_name="venues",
        limit_choices_to={"level": Division.Level.VILLAGE},
    )
    latitude = models.DecimalField(_("latitude"), max_digits=9, decimal_places=6)
    longitude = models.DecimalField(_("longitude"), max_digits=9, decimal_places=6)
    opening_hours = models.CharField(_("opening hours"), max_length=50, blank=True)
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.OPEN
    )
    supervising_unit = models.ForeignKey(
        Organisation,
        verbose_name=_("supervising unit"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    flagged_on = models.DateField(_("flagged for enforcement on"), null=True, blank=True)
    licence_notified_on = models.DateField(
        _("expired licence notice sent on"), null=True, blank=True
    )
    notes = models.TextField(_("notes"), blank=True, max_length=5000)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("registered by"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField(_("created at"), default=timezone.now)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    objects = VenueQuerySet.as_manager()

    class Meta:
        verbose_name = _("venue")
        verbose_name_plural = _("venues")
        ordering = ["village__code", "kind", "name", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["credit_code"],
                condition=~Q(credit_code=""),
                name="venues_unique_credit_code",
            ),
        ]
        indexes = [models.Index(fields=["kind", "status"], name="venues_kind_status")]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("venues:venue_detail", args=[self.pk])

    @property
    def township_code(self) -> str:
        return self.village.code[:9] + "000"

    @property
    def licence_is_expired(self) -> bool:
        return bool(
            self.licence_expires
            and self.status != self.Status.CLOSED
            and self.licence_expires < timezone.localdate()
        )


class DistanceRuleQuerySet(models.QuerySet["DistanceRule"]):
    def in_force(self, day: date | None = None) -> DistanceRuleQuerySet:
        day = day or timezone.localdate()
        return self.filter(valid_from__lte=day).filter(
            Q(valid_to__isnull=True) | Q(valid_to__gt=day)
        )

    def current(self) -> DistanceRuleQuerySet:
        return self.filter(valid_to__isnull=True)


class DistanceRule(models.Model):
    """A distance rule (the reference's `rule_param`): no venue of `kind` within `metres` of a
    school of `school_kinds`, from `valid_from` until `valid_to` (exclusive; open while empty).

    A rule is never edited: a change closes the rule in force and opens a new one, so the
    history stays. The national rule (V01, 200 m from primary and secondary schools) is seeded
    by a migration; a county may make it stricter, never looser."""

    kind = models.CharField(_("kind of venue"), max_length=3, choices=VenueKind.choices)
    school_kinds = models.JSONField(_("schools it protects"), default=list)
    metres = models.PositiveIntegerField(_("distance (m)"))
    valid_from = models.DateField(_("in force from"))
    valid_to = models.DateField(_("in force until"), null=True, blank=True)
    national = models.BooleanField(_("national rule"), default=False)
    basis = models.CharField(_("legal basis"), max_length=200)
    set_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("set by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    set_at = models.DateTimeField(_("set at"), default=timezone.now)

    objects = DistanceRuleQuerySet.as_manager()

    class Meta:
        verbose_name = _("distance rule")
        verbose_name_plural = _("distance rules")
        ordering = ["kind", "-valid_from", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["kind"],
                condition=Q(valid_to__isnull=True),
                name="venues_one_current_rule_per_kind",
            ),
            models.CheckConstraint(condition=Q(metres__gte=1), name="venues_rule_metres_positive"),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} · {self.metres} m"

    def school_kind_labels(self) -> list[str]:
        labels = dict(School.Kind.choices)
        return [str(labels.get(k, k)) for k in self.school_kinds]


class ViolationQuerySet(models.QuerySet["Violation"]):
    def for_user(self, user: User) -> ViolationQuerySet:
        if in_school(user) and not sees_all_venues(user):
            return self.filter(school__organisation_id=user.organisation_id)
        return self.filter(venue__in=Venue.objects.for_user(user).values("pk"))

    def open(self) -> ViolationQuerySet:
        return self.filter(closed_at__isnull=True)


class Violation(models.Model):
    """A venue inside a school's rule circle: opened when a check finds it, closed when a check
    no longer does (the venue moved or closed, the school closed or moved, the rule changed).
    It is the supervising unit's case: it is told, and sees it waiting until it is closed."""

    class Reason(models.TextChoices):
        CLEARED = "cleared", _("no longer within the distance")
        VENUE_CLOSED = "venue_closed", _("the venue closed")
        RULE_ENDED = "rule_ended", _("the rule no longer applies")

    venue = models.ForeignKey(
        Venue, verbose_name=_("venue"), on_delete=models.CASCADE, related_name="violations"
    )
    school = models.ForeignKey(
        School, verbose_name=_("school"), on_delete=models.CASCADE, related_name="+"
    )
    rule = models.ForeignKey(
        DistanceRule, verbose_name=_("rule"), on_delete=models.PROTECT, related_name="violations"
    )
    distance_m = models.DecimalField(_("distance (m)"), max_digits=9, decimal_places=1)
    opened_at = models.DateTimeField(_("opened at"), default=timezone.now)
    closed_at = models.DateTimeField(_("closed at"), null=True, blank=True)
    close_reason = models.CharField(
        _("why it closed"), max_length=20, choices=Reason.choices, blank=True
    )

    objects = ViolationQuerySet.as_manager()

    class Meta:
        verbose_name = _("distance violation")
        verbose_name_plural = _("distance violations")
        ordering = ["-opened_at", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["venue", "school"],
                condition=Q(closed_at__isnull=True),
                name="venues_one_open_violation_per_pair",
            )
        ]

    def __str__(self) -> str:
        return f"{self.venue_id} · {self.school_id} · {self.distance_m} m"


class PlanQuerySet(models.QuerySet["InspectionPlan"]):
    def for_user(self, user: User) -> PlanQuerySet:
        if not works_with_data(user) or in_school(user):
            return self.none()
        if sees_all_venues(user):
            return self
        mine = Q(lead_id=user.organisation_id) | Q(units=user.organisation_id)
        if sees_area_venues(user) and user.scope.division_prefix:
            area = InspectionPlan.townships.through.objects.filter(
                division__code__startswith=user.scope.division_prefix[:9]
            )
            mine |= Q(pk__in=area.values("inspectionplan"))
        return self.filter(mine).distinct()


class InspectionPlan(models.Model):
    """A season's or campaign's inspections (专项检查): kinds, townships, units, a lead."""

    class Season(models.TextChoices):
        TERM_START = "term_start", _("start of term")
        SUMMER = "summer", _("summer holiday")
        WINTER = "winter", _("winter holiday")
        HOLIDAY = "holiday", _("public holidays")
        CAMPAIGN = "campaign", _("special campaign")

    title = models.CharField(_("title"), max_length=100)
    season = models.CharField(_("season"), max_length=20, choices=Season.choices)
    kinds = models.JSONField(_("kinds of venue"), default=list)
    townships = models.ManyToManyField(
        Division, verbose_name=_("townships"), related_name="+", blank=True
    )
    lead = models.ForeignKey(
        Organisation, verbose_name=_("lead unit"), on_delete=models.PROTECT, related_name="+"
    )
    units = models.ManyToManyField(
        Organisation, verbose_name=_("units taking part"), related_name="+", blank=True
    )
    starts_on = models.DateField(_("starts on"))
    due_on = models.DateField(_("due on"))
    notes = models.TextField(_("notes"), blank=True, max_length=5000)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("created by"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField(_("created at"), default=timezone.now)

    objects = PlanQuerySet.as_manager()

    class Meta:
        verbose_name = _("inspection plan")
        verbose_name_plural = _("inspection plans")
        ordering = ["-starts_on", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(due_on__gte=models.F("starts_on")), name="venues_plan_dates_ordered"
            )
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("venues:plan_detail", args=[self.pk])

    def venues(self) -> VenueQuerySet:
        """The operating venues the plan covers."""
        venues = Venue.objects.operating().filter(kind__in=self.kinds)
        codes = [t.prefix for t in self.townships.all()]
        if codes:
            condition = Q(pk__in=[])
            for prefix in codes:
                condition |= Q(village__code__startswith=prefix)
            venues = venues.filter(condition)
        return venues


class InspectionQuerySet(models.QuerySet["Inspection"]):
    def for_user(self, user: User) -> InspectionQuerySet:
        if not works_with_data(user) or (in_school(user) and not sees_all_venues(user)):
            return self.none()
        return self.filter(
            Q(venue__in=Venue.objects.for_user(user).values("pk"))
            | Q(inspecting_unit_id=user.organisation_id)
        )

    def with_findings(self) -> InspectionQuerySet:
        return self.filter(findings__isnull=False).distinct()


class Inspection(models.Model):
    """An inspection of one venue (the record from the phone-sized page)."""

    venue = models.ForeignKey(
        Venue, verbose_name=_("venue"), on_delete=models.PROTECT, related_name="inspections"
    )
    plan = models.ForeignKey(
        InspectionPlan,
        verbose_name=_("inspection plan"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="inspections",
    )
    inspecting_unit = models.ForeignKey(
        Organisation, verbose_name=_("inspecting unit"), on_delete=models.PROTECT, related_name="+"
    )
    inspected_at = models.DateTimeField(_("time of inspection"))
    inspectors = models.JSONField(_("inspectors"), default=list)
    checklist = models.JSONField(_("checklist"), default=dict)
    minors_found = models.PositiveIntegerField(_("minors found"), default=0)
    notes = models.TextField(_("findings and notes"), blank=True, max_length=10000)
    reinspects = models.ForeignKey(
        "RectificationOrder",
        verbose_name=_("re-inspection of order"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="reinspections",
    )
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("recorded by"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField(_("created at"), default=timezone.now)

    objects = InspectionQuerySet.as_manager()

    class Meta:
        verbose_name = _("inspection")
        verbose_name_plural = _("inspections")
        ordering = ["-inspected_at", "-pk"]
        indexes = [models.Index(fields=["venue", "-inspected_at"], name="venues_inspection_latest")]

    def __str__(self) -> str:
        return f"{self.venue} {timezone.localtime(self.inspected_at):%Y-%m-%d %H:%M}"

    def get_absolute_url(self) -> str:
        return reverse("venues:inspection_detail", args=[self.pk])


class Finding(models.Model):
    """One checklist line an inspection found broken."""

    inspection = models.ForeignKey(
        Inspection, verbose_name=_("inspection"), on_delete=models.CASCADE, related_name="findings"
    )
    item = models.CharField(_("checklist item"), max_length=30)
    label = models.CharField(_("label"), max_length=200)

    class Meta:
        verbose_name = _("finding")
        verbose_name_plural = _("findings")
        ordering = ["inspection", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["inspection", "item"], name="venues_finding_unique")
        ]

    def __str__(self) -> str:
        return self.label


class OrderQuerySet(models.QuerySet["RectificationOrder"]):
    def for_user(self, user: User) -> OrderQuerySet:
        return self.filter(inspection__in=Inspection.objects.for_user(user).values("pk"))

    def open(self) -> OrderQuerySet:
        return self.filter(state=RectificationOrder.State.OPEN)

    def overdue(self, today: date | None = None) -> OrderQuerySet:
        return self.open().filter(deadline__lt=today or timezone.localdate())


class RectificationOrder(models.Model):
    """The findings of an inspection, for the venue to put right by a deadline; closed by a
    re-inspection (rectified when every finding now complies, not rectified otherwise, which
    opens a new order from the re-inspection's own findings)."""

    class State(models.TextChoices):
        OPEN = "open", pgettext_lazy("order state", "open")
        RECTIFIED = "rectified", pgettext_lazy("order state", "rectified")
        NOT_RECTIFIED = "not_rectified", pgettext_lazy("order state", "not rectified")

    inspection = models.OneToOneField(
        Inspection, verbose_name=_("inspection"), on_delete=models.CASCADE, related_name="order"
    )
    venue = models.ForeignKey(
        Venue, verbose_name=_("venue"), on_delete=models.CASCADE, related_name="orders"
    )
    number = models.CharField(_("notice number"), max_length=40, unique=True)
    deadline = models.DateField(_("deadline"))
    state = models.CharField(_("state"), max_length=20, choices=State.choices, default=State.OPEN)
    closed_at = models.DateTimeField(_("closed at"), null=True, blank=True)
    escalated_on = models.DateField(_("escalated on"), null=True, blank=True)
    created_at = models.DateTimeField(_("created at"), default=timezone.now)

    objects = OrderQuerySet.as_manager()

    class Meta:
        verbose_name = _("rectification order")
        verbose_name_plural = _("rectification orders")
        ordering = ["deadline", "pk"]

    def __str__(self) -> str:
        return self.number

    def get_absolute_url(self) -> str:
        return reverse("venues:inspection_detail", args=[self.inspection_id])

    @property
    def is_overdue(self) -> bool:
        return self.state == self.State.OPEN and self.deadline < timezone.localdate()

    @property
    def on_time(self) -> bool | None:
        if self.state != self.State.RECTIFIED or self.closed_at is None:
            return None
        return timezone.localdate(self.closed_at) <= self.deadline


class ConcernQuerySet(models.QuerySet["Concern"]):
    def for_user(self, user: User) -> ConcernQuerySet:
        if not works_with_data(user):
            return self.none()
        if sees_all_venues(user):
            return self
        mine = Q(school__organisation_id=user.organisation_id)
        if in_supervising_unit(user):
            mine |= supervised_q(user, "venue__")
        if sees_area_venues(user):
            mine |= _division_q(user, "venue__village")
        return self.filter(mine)

    def open(self) -> ConcernQuerySet:
        return self.filter(closed_at__isnull=True)


class Concern(models.Model):
    """A school's report of a problem at a venue near it: a task for the supervising unit."""

    venue = models.ForeignKey(
        Venue, verbose_name=_("venue"), on_delete=models.CASCADE, related_name="concerns"
    )
    school = models.ForeignKey(
        School, verbose_name=_("school"), on_delete=models.CASCADE, related_name="+"
    )
    text = models.TextField(_("what was seen"), max_length=2000)
    reported_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("reported by"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField(_("reported at"), default=timezone.now)
    closed_at = models.DateTimeField(_("closed at"), null=True, blank=True)
    closed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("closed by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    reply = models.TextField(_("what was done"), blank=True, max_length=2000)

    objects = ConcernQuerySet.as_manager()

    class Meta:
        verbose_name = _("concern")
        verbose_name_plural = _("concerns")
        ordering = ["-created_at", "-pk"]

    def __str__(self) -> str:
        return f"{self.venue} · {timezone.localtime(self.created_at):%Y-%m-%d}"
