"""The protection network around the family: sites (children's homes, women's and children's
centres, guidance stations, parent schools), volunteers and lecturers in their teams, their
training, and the activities they hold (家庭教育促进法 Art. 16–17, 38).

Who reaches what (`for_user`), in the vocabulary's words (weibao.accounts.policy):
- county coordinators, civil affairs (民政) and the women's federation (妇联) read the county's
  sites, volunteers and activities;
- a team lead (the user named as a team's lead) reads the volunteers and activities of their
  teams, and the sites (to hold activities at them);
- a school reads the activities held at the school;
- nobody else reads anything.
"""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

import rules
from django.conf import settings
from django.db import models
from django.db.models import Exists, OuterRef, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from weibao.accounts.models import Division, Organisation, User
from weibao.accounts.policy import (
    in_school,
    in_unit_of_kind,
    is_county_coordinator,
    works_with_data,
)
from weibao.casework.models import GUIDANCE_KINDS, GuardianOrder
from weibao.people.models import Person
from weibao.schools.models import School

K = Organisation.Kind
# A clear criminal-record check counts for this many days (the staff checks are yearly).
CLEARANCE_VALID_DAYS = getattr(settings, "FAMILY_CLEARANCE_VALID_DAYS", 365)

in_family_office = in_unit_of_kind(K.CIVIL_AFFAIRS, K.WOMENS_FEDERATION, name="in_family_office")
sees_network = is_county_coordinator | in_family_office


@rules.predicate
def leads_a_team(user: User) -> bool:
    """Named as the lead of an active team (read once per user object)."""
    if not works_with_data(user):
        return False
    cached = getattr(user, "_family_leads", None)
    if cached is None:
        cached = Team.objects.filter(lead=user, is_active=True).exists()
        user._family_leads = cached  # type: ignore[attr-defined]
    return bool(cached)


class SiteQuerySet(models.QuerySet["Site"]):
    def for_user(self, user: User) -> SiteQuerySet:
        if sees_network(user) or leads_a_team(user):
            return self
        return self.none()

    def in_township(self, township: Division) -> SiteQuerySet:
        return self.filter(village__code__startswith=township.prefix)

    def open(self) -> SiteQuerySet:
        return self.filter(status=Site.Status.OPEN)


class Site(models.Model):
    """A place where family-education and care work happens."""

    class Kind(models.TextChoices):
        CHILDRENS_HOME = "childrens_home", _("children's home (儿童之家)")
        WOMEN_CHILDREN_CENTRE = "women_children_centre", _("women's and children's centre")
        GUIDANCE_STATION = "guidance_station", _("community family-education guidance station")
        PARENT_SCHOOL = "parent_school", _("community parent school")
        OTHER = "other", pgettext_lazy("site kind", "other")

    class Status(models.TextChoices):
        OPEN = "open", pgettext_lazy("site status", "open")
        SUSPENDED = "suspended", pgettext_lazy("site status", "suspended")
        CLOSED = "closed", pgettext_lazy("site status", "closed")

    kind = models.CharField(_("kind of site"), max_length=30, choices=Kind.choices)
    name = models.CharField(pgettext_lazy("site", "name"), max_length=100)
    village = models.ForeignKey(
        Division,
        verbose_name=_("village or community"),
        on_delete=models.PROTECT,
        related_name="family_sites",
        limit_choices_to={"level": Division.Level.VILLAGE},
    )
    address = models.CharField(pgettext_lazy("place", "address"), max_length=200, blank=True)
    latitude = models.DecimalField(
        _("latitude"), max_digits=9, decimal_places=6, null=True, blank=True
    )
    longitude = models.DecimalField(
        _("longitude"), max_digits=9, decimal_places=6, null=True, blank=True
    )
    operating_unit = models.ForeignKey(
        Organisation,
        verbose_name=_("operating unit"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    opening_hours = models.CharField(_("opening hours"), max_length=100, blank=True)
    contact_name = models.CharField(_("contact person"), max_length=50, blank=True)
    contact_phone = models.CharField(_("contact phone"), max_length=20, blank=True)
    facilities = models.TextField(_("facilities"), blank=True, max_length=2000)
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.OPEN
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("registered by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField(_("created at"), default=timezone.now)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    objects = SiteQuerySet.as_manager()

    class Meta:
        verbose_name = _("family-education site")
        verbose_name_plural = _("family-education sites")
        ordering = ["village__code", "kind", "name", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["village", "kind", "name"], name="family_site_unique_name"
            ),
        ]
        indexes = [models.Index(fields=["kind", "status"], name="family_site_kind_status")]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("family:site_detail", args=[self.pk])


class Team(models.Model):
    """A volunteer team (the studio's four teams, and the family-education lecturer team)."""

    class Kind(models.TextChoices):
        LAW_EDUCATION = "law_education", _("law education")
        CASE_HANDLING = "case_handling", _("case handling")
        MEDIA = "media", pgettext_lazy("team kind", "media")
        SOCIAL_WORK = "social_work", _("social work")
        LECTURERS = "lecturers", _("family-education lecturers")

    kind = models.CharField(_("kind of team"), max_length=20, choices=Kind.choices)
    name = models.CharField(pgettext_lazy("team", "name"), max_length=100, unique=True)
    lead = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("team lead"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="family_teams",
    )
    is_active = models.BooleanField(_("active"), default=True)

    class Meta:
        verbose_name = _("volunteer team")
        verbose_name_plural = _("volunteer teams")
        ordering = ["kind", "name"]

    def __str__(self) -> str:
        return self.name


def _team_q(user: User, path: str = "team") -> Q:
    return Q(**{f"{path}__lead": user, f"{path}__is_active": True})


class VolunteerQuerySet(models.QuerySet["Volunteer"]):
    def for_user(self, user: User) -> VolunteerQuerySet:
        if sees_network(user):
            return self
        if leads_a_team(user):
            return self.filter(_team_q(user))
        return self.none()

    def active(self) -> VolunteerQuerySet:
        return self.filter(status=Volunteer.Status.ACTIVE)

    def cleared(self, on: object = None) -> VolunteerQuerySet:
        """A clear check within its validity (as last read from staff checks)."""
        day = on or timezone.localdate()
        return self.filter(
            clearance=Volunteer.Clearance.CLEAR,
            clearance_on__gte=day - timedelta(days=CLEARANCE_VALID_DAYS),  # type: ignore[operator]
        )


class Volunteer(models.Model):
    """A person of the people register serving in a team (a volunteer or a lecturer).

    Their clearance is read from staff checks (the person's latest check result), never copied
    by hand: `clearance` and `clearance_on` are what the last reading found."""

    class Status(models.TextChoices):
        ACTIVE = "active", pgettext_lazy("volunteer status", "active")
        PAUSED = "paused", pgettext_lazy("volunteer status", "paused")
        LEFT = "left", pgettext_lazy("volunteer status", "left")

    class Availability(models.TextChoices):
        WEEKDAYS = "weekdays", _("weekdays")
        WEEKENDS = "weekends", _("weekends")
        HOLIDAYS = "holidays", _("school holidays")
        ANY = "any", _("any time")

    class Clearance(models.TextChoices):
        NONE = "none", _("not checked")
        PENDING = "pending", pgettext_lazy("check result", "pending")
        CLEAR = "clear", _("clear")
        BARRED = "barred", _("not to work with children")

    person = models.OneToOneField(
        Person, verbose_name=_("person"), on_delete=models.PROTECT, related_name="volunteer"
    )
    team = models.ForeignKey(
        Team, verbose_name=_("team"), on_delete=models.PROTECT, related_name="volunteers"
    )
    township = models.ForeignKey(
        Division,
        verbose_name=_("township"),
        on_delete=models.PROTECT,
        related_name="+",
        limit_choices_to={"level": Division.Level.TOWNSHIP},
    )
    skills = models.CharField(_("skills"), max_length=200, blank=True)
    availability = models.CharField(
        _("availability"), max_length=10, choices=Availability.choices, default=Availability.ANY
    )
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.ACTIVE
    )
    joined_on = models.DateField(_("joined on"), default=timezone.localdate)
    clearance = models.CharField(
        _("criminal-record check"),
        max_length=10,
        choices=Clearance.choices,
        default=Clearance.NONE,
    )
    clearance_on = models.DateField(_("checked on"), null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("registered by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField(_("created at"), default=timezone.now)

    objects = VolunteerQuerySet.as_manager()

    class Meta:
        verbose_name = _("volunteer")
        verbose_name_plural = _("volunteers")
        ordering = ["person__name_pinyin", "pk"]
        indexes = [
            models.Index(fields=["team", "status"], name="family_vol_team_status"),
            models.Index(fields=["township", "status"], name="family_vol_town_status"),
            models.Index(fields=["clearance", "clearance_on"], name="family_vol_clearance"),
        ]

    def __str__(self) -> str:
        return self.person.masked_name

    def get_absolute_url(self) -> str:
        return reverse("family:volunteer_detail", args=[self.pk])

    @property
    def is_cleared(self) -> bool:
        today = timezone.localdate()
        return bool(
            self.clearance == self.Clearance.CLEAR
            and self.clearance_on is not None
            and self.clearance_on >= today - timedelta(days=CLEARANCE_VALID_DAYS)
        )


class TrainingQuerySet(models.QuerySet["Training"]):
    def for_user(self, user: User) -> TrainingQuerySet:
        return self.filter(volunteer__in=Volunteer.objects.for_user(user).values("pk"))


class Training(models.Model):
    """A training a volunteer took."""

    volunteer = models.ForeignKey(
        Volunteer, verbose_name=_("volunteer"), on_delete=models.CASCADE, related_name="trainings"
    )
    held_on = models.DateField(_("date"))
    topic = models.CharField(_("topic"), max_length=200)
    hours = models.DecimalField(_("hours"), max_digits=5, decimal_places=1)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("recorded by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    objects = TrainingQuerySet.as_manager()

    class Meta:
        verbose_name = _("training record")
        verbose_name_plural = _("training records")
        ordering = ["-held_on", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(hours__gt=0) & Q(hours__lte=100), name="family_training_hours"
            )
        ]

    def __str__(self) -> str:
        return f"{self.held_on} · {self.topic}"


class Topic(models.TextChoices):
    """家庭教育促进法 Art. 16's six areas, with 16(5)'s safety subjects on their own."""

    PATRIOTISM = "a16_1", _("love of country and community (Art. 16(1))")
    VIRTUE = "a16_2", _("virtue, family values and the rule of law (Art. 16(2))")
    LEARNING = "a16_3", _("a sound view of success, interests and study habits (Art. 16(3))")
    HEALTH = "a16_4", _("nutrition, exercise, sleep and healthy habits (Art. 16(4))")
    SAFETY = "a16_5", _("mental health and safety (Art. 16(5))")
    ANTI_BULLYING = "a16_5_bullying", _("anti-bullying (Art. 16(5))")
    ANTI_DROWNING = "a16_5_drowning", _("anti-drowning (Art. 16(5))")
    ANTI_FRAUD = "a16_5_fraud", _("anti-fraud (Art. 16(5))")
    ANTI_TRAFFICKING = "a16_5_trafficking", _("anti-trafficking (Art. 16(5))")
    ANTI_SEXUAL_ABUSE = "a16_5_sexual_abuse", _("anti-sexual-abuse (Art. 16(5))")
    LABOUR = "a16_6", _("work and self-reliance (Art. 16(6))")


class Method(models.TextChoices):
    """家庭教育促进法 Art. 17's nine methods."""

    PRESENCE = "a17_1", _("raising the child in person, keeping them company (Art. 17(1))")
    BOTH_PARENTS = "a17_2", _("both parents taking part (Art. 17(2))")
    EVERYDAY = "a17_3", _("teaching in everyday life (Art. 17(3))")
    EXAMPLE = "a17_4", _("teaching by word and example (Art. 17(4))")
    FIRM_KIND = "a17_5", _("care together with firm expectations (Art. 17(5))")
    DIFFERENCES = "a17_6", _("respecting differences of age and character (Art. 17(6))")
    EQUALS = "a17_7", _("talking as equals (Art. 17(7))")
    GROWING = "a17_8", _("parents and children growing together (Art. 17(8))")
    OTHER = "a17_9", _("other methods good for the child (Art. 17(9))")


class ActivityQuerySet(models.QuerySet["Activity"]):
    def for_user(self, user: User) -> ActivityQuerySet:
        if sees_network(user):
            return self
        mine = Q(pk__in=[])
        if leads_a_team(user):
            mine |= _team_q(user)
        if in_school(user):
            mine |= Q(school__organisation_id=user.organisation_id)
        return self.filter(mine)

    def in_year(self, year: int) -> ActivityQuerySet:
        return self.filter(held_on__year=year)


class Activity(models.Model):
    """A talk, class, lesson, visit or holiday programme, at a site or a school."""

    class Kind(models.TextChoices):
        TALK = "talk", _("family-education talk")
        PARENT_CLASS = "parent_class", _("parent class")
        SELF_PROTECTION = "self_protection", _("self-protection lesson")
        CARE_VISIT = "care_visit", _("care visit")
        HOLIDAY = "holiday", _("holiday programme")

    kind = models.CharField(_("kind of activity"), max_length=20, choices=Kind.choices)
    title = models.CharField(_("title"), max_length=200)
    held_on = models.DateField(_("held on"))
    site = models.ForeignKey(
        Site,
        verbose_name=_("site"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="activities",
    )
    school = models.ForeignKey(
        School,
        verbose_name=_("school"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="family_activities",
    )
    village = models.ForeignKey(
        Division,
        verbose_name=_("village or community"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    team = models.ForeignKey(
        Team,
        verbose_name=_("organising team"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="activities",
    )
    topic = models.CharField(_("topic"), max_length=30, choices=Topic.choices)
    method = models.CharField(_("method"), max_length=10, choices=Method.choices)
    audience_children = models.PositiveIntegerField(_("children reached"), default=0)
    audience_parents = models.PositiveIntegerField(_("parents reached"), default=0)
    hours = models.DecimalField(_("hours"), max_digits=4, decimal_places=1, default=Decimal("1"))
    notes = models.TextField(_("notes"), blank=True, max_length=5000)
    helpers = models.ManyToManyField(
        Volunteer,
        through="Helper",
        verbose_name=_("lecturers and volunteers"),
        related_name="activities",
        blank=True,
    )
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("recorded by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField(_("created at"), default=timezone.now)

    objects = ActivityQuerySet.as_manager()

    class Meta:
        verbose_name = _("activity")
        verbose_name_plural = _("activities")
        ordering = ["-held_on", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(site__isnull=False) | Q(school__isnull=False),
                name="family_activity_has_place",
            ),
            models.CheckConstraint(
                condition=Q(hours__gt=0) & Q(hours__lte=24), name="family_activity_hours"
            ),
        ]
        indexes = [
            models.Index(fields=["held_on"], name="family_activity_held"),
            models.Index(fields=["village", "held_on"], name="family_activity_village"),
        ]

    def __str__(self) -> str:
        return f"{self.held_on} · {self.title}"

    def get_absolute_url(self) -> str:
        return reverse("family:activity_detail", args=[self.pk])

    @property
    def with_children(self) -> bool:
        return self.audience_children > 0 or self.kind in (
            self.Kind.SELF_PROTECTION,
            self.Kind.CARE_VISIT,
            self.Kind.HOLIDAY,
        )

    @property
    def place(self) -> str:
        if self.site_id:
            return str(self.site)
        return str(self.school.organisation) if self.school is not None else ""


class Helper(models.Model):
    """A lecturer or volunteer at an activity; their hours are the activity's."""

    class Role(models.TextChoices):
        LECTURER = "lecturer", _("lecturer")
        VOLUNTEER = "volunteer", _("volunteer")

    activity = models.ForeignKey(
        Activity, verbose_name=_("activity"), on_delete=models.CASCADE, related_name="helper_rows"
    )
    volunteer = models.ForeignKey(
        Volunteer, verbose_name=_("volunteer"), on_delete=models.PROTECT, related_name="helps"
    )
    role = models.CharField(_("role"), max_length=10, choices=Role.choices)

    class Meta:
        verbose_name = _("helper at an activity")
        verbose_name_plural = _("helpers at activities")
        constraints = [
            models.UniqueConstraint(
                fields=["activity", "volunteer"], name="family_helper_once_per_activity"
            )
        ]

    def __str__(self) -> str:
        return f"{self.activity_id} · {self.volunteer_id} · {self.role}"


def orders_awaiting_guidance() -> models.QuerySet[GuardianOrder]:
    """Orders to guardians that call for guidance and have none assigned yet, oldest first.

    The network's writers give the guidance, so they read these orders' number, issuer and day
    (not the facts: the order's page stays the issuer's)."""
    assigned = Guidance.objects.filter(order=OuterRef("pk"))
    return (
        GuardianOrder.objects.filter(kind__in=GUIDANCE_KINDS)
        .exclude(compliance=GuardianOrder.Compliance.COMPLIED)
        .filter(~Exists(assigned))
        .select_related("issuer")
        .order_by("issued_on", "pk")
    )


class GuidanceQuerySet(models.QuerySet["Guidance"]):
    def for_user(self, user: User) -> GuidanceQuerySet:
        if sees_network(user):
            return self
        if leads_a_team(user):
            return self.filter(_team_q(user, "lecturer__team"))
        return self.none()

    def open(self) -> GuidanceQuerySet:
        return self.filter(status=Guidance.Status.ASSIGNED)


class Guidance(models.Model):
    """Family-education guidance a guardian receives on an order from casework (责令接受家庭
    教育指导, 督促监护令, 家庭教育指导令: 家庭教育促进法 Art. 48-49), given by a lecturer in
    sessions; its result goes back to the issuing unit through casework's service."""

    class Status(models.TextChoices):
        ASSIGNED = "assigned", pgettext_lazy("guidance status", "under way")
        COMPLETED = "completed", pgettext_lazy("guidance status", "completed")

    order = models.OneToOneField(
        GuardianOrder,
        verbose_name=_("order to guardians"),
        on_delete=models.PROTECT,
        related_name="family_guidance",
    )
    lecturer = models.ForeignKey(
        Volunteer, verbose_name=_("lecturer"), on_delete=models.PROTECT, related_name="guidance"
    )
    sessions_planned = models.PositiveSmallIntegerField(_("sessions planned"), default=4)
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.ASSIGNED
    )
    result = models.TextField(_("result"), blank=True, max_length=5000)
    assigned_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("assigned by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    assigned_at = models.DateTimeField(_("assigned at"), default=timezone.now)
    reported_at = models.DateTimeField(_("reported at"), null=True, blank=True)

    objects = GuidanceQuerySet.as_manager()

    class Meta:
        verbose_name = _("family-education guidance")
        verbose_name_plural = _("family-education guidance")
        ordering = ["-assigned_at", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(sessions_planned__gte=1) & Q(sessions_planned__lte=20),
                name="family_guidance_sessions",
            )
        ]

    def __str__(self) -> str:
        return str(self.order)

    def get_absolute_url(self) -> str:
        return reverse("family:guidance_detail", args=[self.pk])


class GuidanceSession(models.Model):
    """One session of guidance: whether the guardian came, and how they are doing."""

    class Progress(models.TextChoices):
        BETTER = "better", _("improving")
        SAME = "same", _("no change")
        WORSE = "worse", _("worse")

    guidance = models.ForeignKey(
        Guidance, verbose_name=_("guidance"), on_delete=models.CASCADE, related_name="sessions"
    )
    held_on = models.DateField(_("held on"))
    attended = models.BooleanField(_("the guardian attended"), default=True)
    topic = models.CharField(_("topic"), max_length=30, choices=Topic.choices)
    progress = models.CharField(
        _("the guardian's progress"), max_length=10, choices=Progress.choices, blank=True
    )
    notes = models.TextField(_("notes"), blank=True, max_length=5000)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("recorded by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    class Meta:
        verbose_name = _("guidance session")
        verbose_name_plural = _("guidance sessions")
        ordering = ["held_on", "pk"]

    def __str__(self) -> str:
        return f"{self.guidance_id} · {self.held_on}"
