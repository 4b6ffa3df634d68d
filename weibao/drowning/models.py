"""Drowning prevention (防溺水): the registry of hazardous waters, their custodians, patrols and
the rectifications they open, and drowning incidents with the review of each death.

Who reaches what (`for_user`), in the vocabulary's words (weibao.accounts.policy):
- the water-resources bureau, the education bureau and county coordinators read every water;
- a township government reads the waters of its township, a village committee those of its
  village (their division, by code prefix);
- a school reads the waters of its catchment: those within CATCHMENT_METRES of it, kept as
  `Catchment` rows when a water is saved;
- incidents: the county lead agencies (procuratorate, education, water resources, civil
  affairs, public security) and county coordinators, and the township where it happened.
"""

from __future__ import annotations

from datetime import date
from typing import Any

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
    in_procuratorate,
    in_school,
    in_unit_of_kind,
    is_county_coordinator,
    works_with_data,
)
from weibao.drowning.seasons import birth_range
from weibao.people.models import Person, adult_birth_cutoff, visible_q
from weibao.schools.models import School

K = Organisation.Kind
# A school's catchment: the waters within this distance of it (3 km: a pupil's walk home).
CATCHMENT_METRES = getattr(settings, "DROWNING_CATCHMENT_METRES", 3000)
# Days a township has to put a missing or damaged item right.
RECTIFICATION_DAYS = getattr(settings, "DROWNING_RECTIFICATION_DAYS", 7)

# The words of this app's scope, built on the vocabulary (policy.py says the rules in them).
in_water_resources = in_unit_of_kind(K.WATER_RESOURCES, name="in_water_resources")
in_civil_affairs = in_unit_of_kind(K.CIVIL_AFFAIRS, name="in_civil_affairs")
in_township_government = in_unit_of_kind(K.TOWNSHIP, name="in_township_government")
in_village_committee = in_unit_of_kind(K.VILLAGE_COMMITTEE, name="in_village_committee")
in_public_security = in_unit_of_kind(K.PUBLIC_SECURITY, name="in_public_security")
# Who reads every water in the county.
sees_all_waters = is_county_coordinator | in_water_resources | in_education_bureau
# Who reads waters of their own division.
sees_division_waters = in_township_government | in_village_committee
# The county's lead agencies for drowning incidents.
sees_all_incidents = (
    is_county_coordinator
    | in_procuratorate
    | in_education_bureau
    | in_water_resources
    | in_civil_affairs
    | in_public_security
)


def _division_q(user: User, path: str) -> Q:
    prefix = user.scope.division_prefix
    if not prefix:
        return Q(pk__in=[])
    return Q(**{f"{path}__code__startswith": prefix})


class Equipment(models.TextChoices):
    """The "four ones" (四个一) at a water."""

    SIGN = "sign", _("warning sign")
    POLE = "pole", _("rescue pole")
    ROPE = "rope", _("rescue rope")
    RING = "ring", _("life ring")


class EquipmentState(models.TextChoices):
    OK = "ok", pgettext_lazy("equipment state", "in place")
    MISSING = "missing", pgettext_lazy("equipment state", "missing")
    DAMAGED = "damaged", pgettext_lazy("equipment state", "damaged")


# The field holding each item's state, on a water and on a patrol.
EQUIPMENT_FIELDS = {item: f"{item}_state" for item in Equipment.values}


def _state_field(label: Any) -> models.CharField:  # a lazy label
    return models.CharField(
        label, max_length=10, choices=EquipmentState.choices, default=EquipmentState.MISSING
    )


class WaterQuerySet(models.QuerySet["HazardousWater"]):
    def for_user(self, user: User) -> WaterQuerySet:
        if not works_with_data(user):
            return self.none()
        if sees_all_waters(user):
            return self
        if sees_division_waters(user):
            return self.filter(_division_q(user, "village"))
        if in_school(user):
            return self.filter(catchments__school__organisation_id=user.organisation_id)
        return self.none()

    def in_township(self, township: Division) -> WaterQuerySet:
        return self.filter(village__code__startswith=township.prefix)

    def with_gap(self) -> WaterQuerySet:
        """Waters where at least one of the four ones is missing or damaged."""
        gap = Q()
        for name in EQUIPMENT_FIELDS.values():
            gap |= ~Q(**{name: EquipmentState.OK})
        return self.filter(gap)

    def fully_equipped(self) -> WaterQuerySet:
        return self.filter(**{name: EquipmentState.OK for name in EQUIPMENT_FIELDS.values()})


class HazardousWater(models.Model):
    """A dangerous water in the registry (the reference's `water_body`)."""

    class Kind(models.TextChoices):
        RIVER = "river", _("river")
        LAKE = "lake", _("lake")
        RESERVOIR = "reservoir", _("reservoir")
        POND = "pond", _("pond")
        DITCH = "ditch", _("ditch")
        WELL = "well", _("well")
        STORAGE_TANK = "storage_tank", _("storage tank")
        FLOODED_PIT = "flooded_pit", _("flooded pit")
        SAND_PIT = "sand_pit", _("sand-mining pit")
        ABANDONED_MINE = "abandoned_mine", _("abandoned mine")
        OTHER = "other", pgettext_lazy("water kind", "other")

    class Risk(models.TextChoices):
        HIGH = "high", pgettext_lazy("risk", "high")
        MEDIUM = "medium", pgettext_lazy("risk", "medium")
        LOW = "low", pgettext_lazy("risk", "low")

    name = models.CharField(pgettext_lazy("water", "name"), max_length=100)
    kind = models.CharField(_("kind of water"), max_length=20, choices=Kind.choices)
    village = models.ForeignKey(
        Division,
        verbose_name=_("village"),
        on_delete=models.PROTECT,
        related_name="hazardous_waters",
        limit_choices_to={"level": Division.Level.VILLAGE},
    )
    latitude = models.DecimalField(_("latitude"), max_digits=9, decimal_places=6)
    longitude = models.DecimalField(_("longitude"), max_digits=9, decimal_places=6)
    polygon = models.TextField(
        _("outline (GeoJSON)"),
        blank=True,
        help_text=_("For a large water: a GeoJSON Polygon of its shore, in longitude/latitude."),
    )
    deeper_than_half_metre = models.BooleanField(_("deeper than 0.5 m"), default=True)
    risk = models.CharField(
        _("risk level"), max_length=10, choices=Risk.choices, default=Risk.MEDIUM
    )
    sign_state = _state_field(_("warning sign"))
    pole_state = _state_field(_("rescue pole"))
    rope_state = _state_field(_("rescue rope"))
    ring_state = _state_field(_("life ring"))
    nearest_school = models.ForeignKey(
        School,
        verbose_name=_("nearest school"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    school_distance_m = models.PositiveIntegerField(
        _("distance to the nearest school (m)"), null=True, blank=True
    )
    notes = models.TextField(_("notes"), blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("registered by"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField(_("created at"), default=timezone.now)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    objects = WaterQuerySet.as_manager()

    class Meta:
        verbose_name = _("hazardous water")
        verbose_name_plural = _("hazardous waters")
        ordering = ["village__code", "name", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["village", "name"], name="drowning_water_unique_name")
        ]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("drowning:water_detail", args=[self.pk])

    @property
    def township_code(self) -> str:
        return self.village.code[:9] + "000"

    def equipment(self) -> list[tuple[str, str, str]]:
        """(item, label, state) for the four ones."""
        return [
            (item, str(label), getattr(self, EQUIPMENT_FIELDS[item]))
            for item, label in Equipment.choices
        ]

    @property
    def gaps(self) -> list[str]:
        """The items missing or damaged."""
        return [item for item, _label, state in self.equipment() if state != EquipmentState.OK]


class Catchment(models.Model):
    """A water within a school's catchment (CATCHMENT_METRES), with the distance: computed when
    the water is saved, and by the nightly recompute when schools move."""

    water = models.ForeignKey(
        HazardousWater, verbose_name=_("water"), on_delete=models.CASCADE, related_name="catchments"
    )
    school = models.ForeignKey(
        School, verbose_name=_("school"), on_delete=models.CASCADE, related_name="+"
    )
    distance_m = models.PositiveIntegerField(_("distance (m)"))

    class Meta:
        verbose_name = _("school catchment")
        verbose_name_plural = _("school catchments")
        constraints = [
            models.UniqueConstraint(fields=["water", "school"], name="drowning_catchment_unique")
        ]

    def __str__(self) -> str:
        return f"{self.water_id} · {self.school_id} · {self.distance_m} m"


class CustodianQuerySet(models.QuerySet["Custodian"]):
    def for_user(self, user: User) -> CustodianQuerySet:
        """Custodians of the waters the user reads, and those filed in their division."""
        if not works_with_data(user):
            return self.none()
        if sees_all_waters(user):
            return self
        waters = HazardousWater.objects.for_user(user).values("pk")
        linked = Custodian.waters.through.objects.filter(hazardouswater__in=waters)
        return self.filter(Q(pk__in=linked.values("custodian")) | _division_q(user, "township"))


class Custodian(models.Model):
    """A water custodian (水源管理员): watches key waters in the risky hours."""

    name = models.CharField(pgettext_lazy("person", "name"), max_length=50)
    phone = models.CharField(_("phone"), max_length=20)
    person = models.ForeignKey(
        Person,
        verbose_name=_("person in the register"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    township = models.ForeignKey(
        Division,
        verbose_name=_("township"),
        on_delete=models.PROTECT,
        related_name="+",
        limit_choices_to={"level": Division.Level.TOWNSHIP},
    )
    after_school = models.BooleanField(_("after school"), default=True)
    weekends = models.BooleanField(_("weekends"), default=True)
    holidays = models.BooleanField(_("holidays"), default=True)
    summer = models.BooleanField(_("summer"), default=True)
    waters = models.ManyToManyField(
        HazardousWater, verbose_name=_("waters"), related_name="custodians", blank=True
    )
    created_at = models.DateTimeField(_("created at"), default=timezone.now)

    objects = CustodianQuerySet.as_manager()

    class Meta:
        verbose_name = _("water custodian")
        verbose_name_plural = _("water custodians")
        ordering = ["township__code", "name", "pk"]

    def __str__(self) -> str:
        return self.name

    def duty_labels(self) -> list[str]:
        return [
            str(getattr(self._meta.get_field(name), "verbose_name", name))
            for name in ("after_school", "weekends", "holidays", "summer")
            if getattr(self, name)
        ]


class PatrolQuerySet(models.QuerySet["Patrol"]):
    def for_user(self, user: User) -> PatrolQuerySet:
        return self.filter(water__in=HazardousWater.objects.for_user(user).values("pk"))


class Patrol(models.Model):
    """A patrol of one water (the reference's `patrol_log`)."""

    water = models.ForeignKey(
        HazardousWater, verbose_name=_("water"), on_delete=models.PROTECT, related_name="patrols"
    )
    patrolled_at = models.DateTimeField(_("time of patrol"))
    patroller = models.CharField(_("patroller"), max_length=50)
    sign_state = _state_field(_("warning sign"))
    pole_state = _state_field(_("rescue pole"))
    rope_state = _state_field(_("rescue rope"))
    ring_state = _state_field(_("life ring"))
    people_in_water = models.PositiveIntegerField(_("people found in the water"), default=0)
    notes = models.TextField(_("notes"), blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("recorded by"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField(_("created at"), default=timezone.now)

    objects = PatrolQuerySet.as_manager()

    class Meta:
        verbose_name = _("patrol")
        verbose_name_plural = _("patrols")
        ordering = ["-patrolled_at", "-pk"]
        indexes = [models.Index(fields=["water", "-patrolled_at"], name="drowning_patrol_latest")]

    def __str__(self) -> str:
        return f"{self.water} {timezone.localtime(self.patrolled_at):%Y-%m-%d %H:%M}"

    def equipment(self) -> list[tuple[str, str, str]]:
        return [
            (item, str(label), getattr(self, EQUIPMENT_FIELDS[item]))
            for item, label in Equipment.choices
        ]


class RectificationQuerySet(models.QuerySet["Rectification"]):
    def for_user(self, user: User) -> RectificationQuerySet:
        return self.filter(water__in=HazardousWater.objects.for_user(user).values("pk"))

    def open(self) -> RectificationQuerySet:
        return self.filter(closed_at__isnull=True)

    def overdue(self, today: object = None) -> RectificationQuerySet:
        return self.open().filter(deadline__lt=today or timezone.localdate())


class Rectification(models.Model):
    """A missing or damaged item found on patrol, for the water's township to put right."""

    water = models.ForeignKey(
        HazardousWater,
        verbose_name=_("water"),
        on_delete=models.CASCADE,
        related_name="rectifications",
    )
    patrol = models.ForeignKey(
        Patrol,
        verbose_name=_("found on patrol"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="rectifications",
    )
    sign_inspection = models.ForeignKey(
        "SignInspection",
        verbose_name=_("found on a school's sign inspection"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="rectifications",
    )
    item = models.CharField(_("item"), max_length=10, choices=Equipment.choices)
    state = models.CharField(_("state found"), max_length=10, choices=EquipmentState.choices)
    township = models.ForeignKey(
        Division,
        verbose_name=_("township responsible"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    opened_on = models.DateField(_("opened on"))
    deadline = models.DateField(_("deadline"))
    closed_at = models.DateTimeField(_("closed at"), null=True, blank=True)
    closed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("closed by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    close_note = models.TextField(_("what was done"), blank=True)
    overdue_notified_on = models.DateField(_("overdue notice sent on"), null=True, blank=True)

    objects = RectificationQuerySet.as_manager()

    class Meta:
        verbose_name = _("rectification")
        verbose_name_plural = _("rectifications")
        ordering = ["deadline", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["water", "item"],
                condition=Q(closed_at__isnull=True),
                name="drowning_one_open_rectification_per_item",
            )
        ]

    def __str__(self) -> str:
        return f"{self.water} · {self.get_item_display()}"

    @property
    def is_open(self) -> bool:
        return self.closed_at is None

    @property
    def is_overdue(self) -> bool:
        return self.is_open and self.deadline < timezone.localdate()


class IncidentQuerySet(models.QuerySet["Incident"]):
    def for_user(self, user: User) -> IncidentQuerySet:
        if not works_with_data(user):
            return self.none()
        if sees_all_incidents(user):
            return self
        if in_township_government(user):
            return self.filter(_division_q(user, "division"))
        return self.none()

    def deaths(self) -> IncidentQuerySet:
        return self.filter(outcome=Incident.Outcome.DIED)


class Incident(models.Model):
    """A drowning or near-drowning of a minor (the reference's `drowning_incident`)."""

    class Circumstance(models.TextChoices):
        ALONE = "alone", _("alone")
        WITH_MINORS = "with_minors", _("with other minors")
        WITH_ADULT = "with_adult", _("with an adult")

    class Activity(models.TextChoices):
        SWIMMING = "swimming", _("swimming")
        PLAYING = "playing", _("playing by the water")
        RESCUE = "rescue", _("attempting a rescue")
        FELL_IN = "fell_in", _("fell in")

    class Outcome(models.TextChoices):
        DIED = "died", _("died")
        RESCUED = "rescued", _("rescued")
        INJURED = "injured", _("injured")

    person = models.ForeignKey(
        Person,
        verbose_name=_("child"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    age = models.PositiveSmallIntegerField(_("age"), null=True, blank=True)
    sex = models.CharField(_("sex"), max_length=1, choices=Person.Sex.choices, blank=True)
    occurred_at = models.DateTimeField(_("date and time"))
    water = models.ForeignKey(
        HazardousWater,
        verbose_name=_("water"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="incidents",
    )
    place = models.CharField(_("place"), max_length=200, blank=True)
    latitude = models.DecimalField(
        _("latitude"), max_digits=9, decimal_places=6, null=True, blank=True
    )
    longitude = models.DecimalField(
        _("longitude"), max_digits=9, decimal_places=6, null=True, blank=True
    )
    division = models.ForeignKey(
        Division, verbose_name=_("division"), on_delete=models.PROTECT, related_name="+"
    )
    circumstance = models.CharField(_("circumstance"), max_length=20, choices=Circumstance.choices)
    activity = models.CharField(_("activity"), max_length=20, choices=Activity.choices)
    outcome = models.CharField(
        pgettext_lazy("incident", "outcome"), max_length=10, choices=Outcome.choices
    )
    reported_by = models.CharField(_("reported by"), max_length=100)
    notes = models.TextField(_("notes"), blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("recorded by"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField(_("created at"), default=timezone.now)

    objects = IncidentQuerySet.as_manager()

    class Meta:
        verbose_name = _("drowning incident")
        verbose_name_plural = _("drowning incidents")
        ordering = ["-occurred_at", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(person__isnull=False) | Q(age__isnull=False),
                name="drowning_incident_child_known",
            ),
            models.CheckConstraint(
                condition=Q(water__isnull=False) | ~Q(place=""),
                name="drowning_incident_place_known",
            ),
        ]

    def __str__(self) -> str:
        return f"{timezone.localtime(self.occurred_at):%Y-%m-%d} {self.get_outcome_display()}"

    def get_absolute_url(self) -> str:
        return reverse("drowning:incident_detail", args=[self.pk])

    @property
    def child_label(self) -> str:
        if self.person is not None:
            return self.person.masked_name
        return _("unregistered, %(age)s years, %(sex)s") % {
            "age": self.age,
            "sex": self.get_sex_display() or "—",
        }


class DeathReview(models.Model):
    """The measures in place at the water when a child died there: the incident's findings,
    taken when the death is recorded and kept as they were."""

    incident = models.OneToOneField(
        Incident, verbose_name=_("incident"), on_delete=models.CASCADE, related_name="review"
    )
    last_patrol = models.ForeignKey(
        Patrol,
        verbose_name=_("last patrol before"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    last_patrol_at = models.DateTimeField(_("last patrol at"), null=True, blank=True)
    sign_state = models.CharField(
        _("warning sign"), max_length=10, choices=EquipmentState.choices, blank=True
    )
    pole_state = models.CharField(
        _("rescue pole"), max_length=10, choices=EquipmentState.choices, blank=True
    )
    rope_state = models.CharField(
        _("rescue rope"), max_length=10, choices=EquipmentState.choices, blank=True
    )
    ring_state = models.CharField(
        _("life ring"), max_length=10, choices=EquipmentState.choices, blank=True
    )
    custodian_count = models.PositiveIntegerField(_("custodians on duty"), default=0)
    open_rectifications = models.PositiveIntegerField(_("open rectifications"), default=0)
    findings = models.TextField(_("findings"), blank=True)
    created_at = models.DateTimeField(_("created at"), default=timezone.now)

    class Meta:
        verbose_name = _("death review")
        verbose_name_plural = _("death reviews")

    def __str__(self) -> str:
        return str(self.incident)

    def equipment(self) -> list[tuple[str, str, str]]:
        """(item, label, the state's label) at the last patrol."""
        states = dict(EquipmentState.choices)
        return [
            (item, str(label), str(states.get(getattr(self, EQUIPMENT_FIELDS[item]), "—")))
            for item, label in Equipment.choices
        ]


class PatrolPlan(models.Model):
    """The county's required patrol frequencies (巡查计划), set by the water-resources bureau.

    Each change is a new row, so the history stays; the latest row is in force, and without one
    the defaults below are. Peak periods are summer (July and August) and the school holidays
    the plan lists (see weibao.drowning.plans)."""

    high_peak_days = models.PositiveSmallIntegerField(
        _("high risk, in summer and holidays: every (days)"), default=3
    )
    high_other_days = models.PositiveSmallIntegerField(
        _("high risk, otherwise: every (days)"), default=7
    )
    medium_peak_days = models.PositiveSmallIntegerField(
        _("medium risk, in summer and holidays: every (days)"), default=7
    )
    medium_other_days = models.PositiveSmallIntegerField(
        _("medium risk, otherwise: every (days)"), default=30
    )
    holidays = models.TextField(
        _("school holidays"),
        blank=True,
        help_text=_(
            "One holiday a line: its first and last day, such as 2026-10-01 2026-10-07. "
            "July and August count as summer without being listed."
        ),
    )
    set_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("set by"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    set_at = models.DateTimeField(_("set at"), default=timezone.now)

    class Meta:
        verbose_name = _("patrol plan")
        verbose_name_plural = _("patrol plans")
        ordering = ["-set_at", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(high_peak_days__gte=1)
                & Q(high_other_days__gte=1)
                & Q(medium_peak_days__gte=1)
                & Q(medium_other_days__gte=1),
                name="drowning_patrol_plan_days_positive",
            )
        ]

    def __str__(self) -> str:
        return f"{timezone.localtime(self.set_at):%Y-%m-%d %H:%M}"

    @classmethod
    def current(cls) -> PatrolPlan:
        """The plan in force: the latest row, or the defaults (unsaved)."""
        return cls.objects.order_by("-set_at", "-pk").first() or cls()


class TownshipMap(models.Model):
    """The county's township boundaries: the GeoJSON FeatureCollection it imported, validated
    once on upload and kept as one row (a new upload replaces it)."""

    geojson = models.TextField(_("boundaries (GeoJSON)"))
    file_name = models.CharField(_("file name"), max_length=200, blank=True)
    townships = models.PositiveIntegerField(_("townships"), default=0)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("uploaded by"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    uploaded_at = models.DateTimeField(_("uploaded at"), default=timezone.now)

    class Meta:
        verbose_name = _("township boundaries")
        verbose_name_plural = _("township boundaries")
        ordering = ["-uploaded_at", "-pk"]

    def __str__(self) -> str:
        return self.file_name or str(self.pk)


# The letter to parents (告家长书) and named responsibility (包保) --------------------------------

# Days without a logged contact after which an assignee counts as silent.
CONTACT_DAYS = getattr(settings, "DROWNING_CONTACT_DAYS", 14)
# The ages (in full years on the season's first day) every child of which is to be assigned;
# a left-behind minor is assigned whatever the age.
ASSIGNED_AGES = (3, 15)


def to_be_assigned_on(on: date) -> Q:
    """The people to be assigned on `on`: minors aged 3–15, or left behind (any minor age)."""
    earliest, latest = birth_range(on, ASSIGNED_AGES)
    ages = Q(birth_date__gte=earliest, birth_date__lte=latest) | Q(left_behind__is_active=True)
    return Q(ages, birth_date__gte=adult_birth_cutoff(on))


class Season(models.TextChoices):
    """The risky periods a letter and an assignment are for, with the year."""

    SUMMER = "summer", pgettext_lazy("season", "summer holiday")
    WINTER = "winter", pgettext_lazy("season", "winter holiday")
    HOLIDAY = "holiday", pgettext_lazy("season", "other holidays")


# Who reads every school's letters and assignments.
sees_all_school_letters = is_county_coordinator | in_education_bureau


def _school_scope(user: User, path: str) -> Q | None:
    """Records of schools: None for all of them; else the filter for the user's schools.
    The education bureau and county coordinators reach every school; a school its own; a
    township government the schools placed in its township."""
    if sees_all_school_letters(user):
        return None
    if in_school(user):
        return Q(**{f"{path}__in": user.scope.org_ids})
    if in_township_government(user):
        return _division_q(user, f"{path}__division")
    return Q(pk__in=[])


class LetterQuerySet(models.QuerySet["ParentLetter"]):
    def for_user(self, user: User) -> LetterQuerySet:
        if not works_with_data(user):
            return self.none()
        scope = _school_scope(user, "school__organisation")
        return self if scope is None else self.filter(scope)


class ParentLetter(models.Model):
    """A school's letter to parents (告家长书) for one season of one year: the six don'ts, the
    parents' four knows and the hazardous waters in the school's catchment."""

    school = models.ForeignKey(
        School, verbose_name=_("school"), on_delete=models.PROTECT, related_name="+"
    )
    year = models.PositiveSmallIntegerField(_("year"))
    season = models.CharField(_("season"), max_length=10, choices=Season.choices)
    issued_on = models.DateField(_("issued on"))
    note = models.TextField(
        _("the school's own words"),
        blank=True,
        help_text=_("Optional: a paragraph added to the letter, such as the school's phone."),
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("issued by"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField(_("created at"), default=timezone.now)

    objects = LetterQuerySet.as_manager()

    class Meta:
        verbose_name = _("letter to parents")
        verbose_name_plural = _("letters to parents")
        ordering = ["-year", "school__organisation__division__code", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["school", "year", "season"], name="drowning_letter_once_per_season"
            )
        ]

    def __str__(self) -> str:
        return f"{self.school} {self.year} {self.get_season_display()}"

    def get_absolute_url(self) -> str:
        return reverse("drowning:letter_detail", args=[self.pk])

    def pupils(self) -> Any:
        """The school's pupils in the register (whose receipts are expected)."""
        return Person.objects.filter(school_id=self.school.organisation_id)


class LetterReceipt(models.Model):
    """A parent's signed receipt of the letter, recorded for one pupil."""

    class Via(models.TextChoices):
        CLASS_LIST = "class_list", _("class list")
        UPLOAD = "upload", _("Excel upload")

    letter = models.ForeignKey(
        ParentLetter, verbose_name=_("letter"), on_delete=models.CASCADE, related_name="receipts"
    )
    pupil = models.ForeignKey(
        Person, verbose_name=_("pupil"), on_delete=models.CASCADE, related_name="+"
    )
    received_on = models.DateField(_("received on"))
    via = models.CharField(_("recorded from"), max_length=12, choices=Via.choices)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("recorded by"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField(_("created at"), default=timezone.now)

    class Meta:
        verbose_name = _("letter receipt")
        verbose_name_plural = _("letter receipts")
        constraints = [
            models.UniqueConstraint(fields=["letter", "pupil"], name="drowning_receipt_once")
        ]

    def __str__(self) -> str:
        return f"{self.letter_id} · {self.pupil_id}"


class AssignmentQuerySet(models.QuerySet["Assignment"]):
    def for_user(self, user: User) -> AssignmentQuerySet:
        """The education bureau and county coordinators: all; a school: its pupils'; a
        township: the children living in it; and everyone their own assignments."""
        if not works_with_data(user):
            return self.none()
        if sees_all_school_letters(user):
            return self
        return self.filter(visible_q(user, prefix="child__") | Q(assignee=user))

    def of_season(self, year: int, season: str) -> AssignmentQuerySet:
        return self.filter(year=year, season=season)


class Assignment(models.Model):
    """Named responsibility (包保): a child in the care of a named official or teacher for one
    season of one year. A child has one assignee a season."""

    child = models.ForeignKey(
        Person, verbose_name=_("child"), on_delete=models.CASCADE, related_name="+"
    )
    assignee = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("responsible official or teacher"),
        on_delete=models.PROTECT,
        related_name="drowning_assignments",
    )
    year = models.PositiveSmallIntegerField(_("year"))
    season = models.CharField(_("season"), max_length=10, choices=Season.choices)
    assigned_on = models.DateField(_("assigned on"), default=timezone.localdate)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("assigned by"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField(_("created at"), default=timezone.now)

    objects = AssignmentQuerySet.as_manager()

    class Meta:
        verbose_name = _("named responsibility")
        verbose_name_plural = _("named responsibilities")
        ordering = ["-year", "assignee_id", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["child", "year", "season"], name="drowning_assignment_once_per_season"
            )
        ]

    def __str__(self) -> str:
        return f"{self.child} → {self.assignee} ({self.year} {self.get_season_display()})"

    def get_absolute_url(self) -> str:
        return reverse("drowning:assignment_detail", args=[self.pk])


class Contact(models.Model):
    """A contact the assignee had with the child or the family."""

    class Way(models.TextChoices):
        VISIT = "visit", _("home visit")
        PHONE = "phone", _("phone call")
        VIDEO = "video", _("video or message")
        MEETING = "meeting", _("talk at school or in the village")

    assignment = models.ForeignKey(
        Assignment, verbose_name=_("assignment"), on_delete=models.CASCADE, related_name="contacts"
    )
    contacted_on = models.DateField(_("date of contact"))
    way = models.CharField(_("way"), max_length=10, choices=Way.choices)
    note = models.TextField(_("note"), blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("recorded by"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField(_("created at"), default=timezone.now)

    class Meta:
        verbose_name = _("contact")
        verbose_name_plural = _("contacts")
        ordering = ["-contacted_on", "-pk"]
        indexes = [
            models.Index(fields=["assignment", "-contacted_on"], name="drowning_contact_latest")
        ]

    def __str__(self) -> str:
        return f"{self.assignment_id} {self.contacted_on}"


class ReminderSent(models.Model):
    """A season's reminder sent to one audience (schools, townships, assignees): the mark that
    keeps the scheduler from sending it twice."""

    season_key = models.CharField(_("season"), max_length=20)
    audience = models.CharField(pgettext_lazy("reminder", "audience"), max_length=20)
    recipients = models.PositiveIntegerField(_("recipients"), default=0)
    sent_at = models.DateTimeField(_("sent at"), default=timezone.now)

    class Meta:
        verbose_name = _("reminder sent")
        verbose_name_plural = _("reminders sent")
        constraints = [
            models.UniqueConstraint(
                fields=["season_key", "audience"], name="drowning_reminder_once"
            )
        ]

    def __str__(self) -> str:
        return f"{self.season_key} {self.audience}"


# The schools' summer inspection of warning signs ------------------------------------------------


class SignInspectionQuerySet(models.QuerySet["SignInspection"]):
    def for_user(self, user: User) -> SignInspectionQuerySet:
        """As letters: the education bureau and county coordinators all; a school its own; a
        township government its township's schools'."""
        if not works_with_data(user):
            return self.none()
        scope = _school_scope(user, "school__organisation")
        return self if scope is None else self.filter(scope)

    def submitted(self) -> SignInspectionQuerySet:
        return self.filter(submitted_at__isnull=False)


def inspecting_schools(user: User) -> models.QuerySet[School]:
    """The open schools whose summer sign inspection the user follows: every school for the
    education bureau and county coordinators, a township's schools for its government, a
    school itself."""
    if not works_with_data(user):
        return School.objects.none()
    scope = _school_scope(user, "organisation")
    schools = School.objects.open()
    return schools if scope is None else schools.filter(scope)


class SignInspection(models.Model):
    """A school's inspection, once each summer, of the safety equipment at the waters of its
    catchment, reported in writing to the township. Kept as a draft while the school fills it
    in page by page; submitting it opens a rectification for each gap found."""

    school = models.ForeignKey(
        School, verbose_name=_("school"), on_delete=models.PROTECT, related_name="+"
    )
    year = models.PositiveSmallIntegerField(_("year"))
    season = models.CharField(
        _("season"), max_length=10, choices=Season.choices, default=Season.SUMMER
    )
    inspected_on = models.DateField(_("inspected on"))
    inspected_by = models.CharField(_("inspected by"), max_length=100)
    notes = models.TextField(_("notes"), blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("recorded by"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField(_("created at"), default=timezone.now)
    submitted_at = models.DateTimeField(_("submitted at"), null=True, blank=True)

    objects = SignInspectionQuerySet.as_manager()

    class Meta:
        verbose_name = _("sign inspection")
        verbose_name_plural = _("sign inspections")
        ordering = ["-year", "school__organisation__division__code", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["school", "year", "season"], name="drowning_sign_inspection_once"
            )
        ]

    def __str__(self) -> str:
        return f"{self.school} {self.year} {self.get_season_display()}"

    def get_absolute_url(self) -> str:
        return reverse("drowning:sign_inspection_detail", args=[self.pk])

    @property
    def is_submitted(self) -> bool:
        return self.submitted_at is not None


class SignInspectionItem(models.Model):
    """The state of the four ones at one water of the catchment, as the school found it."""

    inspection = models.ForeignKey(
        SignInspection,
        verbose_name=_("sign inspection"),
        on_delete=models.CASCADE,
        related_name="items",
    )
    water = models.ForeignKey(
        HazardousWater, verbose_name=_("water"), on_delete=models.PROTECT, related_name="+"
    )
    sign_state = _state_field(_("warning sign"))
    pole_state = _state_field(_("rescue pole"))
    rope_state = _state_field(_("rescue rope"))
    ring_state = _state_field(_("life ring"))
    note = models.CharField(_("note"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("sign inspection item")
        verbose_name_plural = _("sign inspection items")
        ordering = ["inspection", "water__village__code", "water__name", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["inspection", "water"], name="drowning_sign_item_once")
        ]

    def __str__(self) -> str:
        return f"{self.inspection_id} · {self.water_id}"

    def equipment(self) -> list[tuple[str, str, str]]:
        return [
            (item, str(label), getattr(self, EQUIPMENT_FIELDS[item]))
            for item, label in Equipment.choices
        ]

    @property
    def gaps(self) -> list[str]:
        return [item for item, _label, state in self.equipment() if state != EquipmentState.OK]
