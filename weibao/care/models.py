"""The care of left-behind and vulnerable children (未成年人保护法 Art. 22-23; the national care
system run by civil affairs): the children's supervisors (儿童督导员, one per township) and
directors (儿童主任, one per village) with their history, children in difficulty (困境儿童),
contacts between parents and child, home visits and the warnings they raise.

The left-behind register itself is the people app's (`LeftBehindStatus`): this app reads it and
updates the last contact through people's service, never a copy.

Who reaches what (`for_user`), in the vocabulary's words (weibao.accounts.policy):
- county coordinators and civil affairs (民政) read every child's care records;
- a user holding a current director appointment reads those of the children living in their
  village (the child's place of residence, `Person.division`), a current supervisor those of
  their township;
- a school reads those of its left-behind pupils (`Person.school`, active left-behind status);
- nobody else reads anything.
"""

from __future__ import annotations

from typing import Self

import rules
from django.conf import settings
from django.db import models
from django.db.models import F, Q
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
from weibao.family.models import Volunteer
from weibao.people.models import LeftBehindStatus, Person, PersonQuerySet

K = Organisation.Kind

in_civil_affairs = in_unit_of_kind(K.CIVIL_AFFAIRS, name="in_civil_affairs")
sees_all_children = is_county_coordinator | in_civil_affairs


# The units whose staff serve as children's supervisors and directors: township governments,
# village and residents' committees, civil affairs, social-work organisations. Other units'
# users hold no post, so their pages never ask.
POST_HOLDER_KINDS = frozenset({K.TOWNSHIP, K.VILLAGE_COMMITTEE, K.CIVIL_AFFAIRS, K.SOCIAL_WORK})


def posts_of(user: User) -> list[tuple[str, str]]:
    """(role, division prefix) of the user's current appointments (read once per user
    object)."""
    if not works_with_data(user) or user.organisation.kind not in POST_HOLDER_KINDS:
        return []
    cached = getattr(user, "_care_posts", None)
    if cached is None:
        cached = [
            (role, Division(code=code).prefix)
            for role, code in CareAppointment.objects.current()
            .filter(user=user)
            .values_list("role", "division__code")
        ]
        user._care_posts = cached  # type: ignore[attr-defined]
    return list(cached)


@rules.predicate
def holds_post(user: User) -> bool:
    """A current children's supervisor or director."""
    return bool(posts_of(user))


def children_q(user: User, path: str = "child") -> Q:
    """The children whose care records `user` reads, as a filter on `path` (a Person)."""
    if sees_all_children(user):
        return Q()
    found = Q(pk__in=[])
    for _role, prefix in posts_of(user):
        found |= Q(**{f"{path}__division__code__startswith": prefix})
    if in_school(user):
        found |= Q(
            **{
                f"{path}__school_id": user.organisation_id,
                f"{path}__left_behind__is_active": True,
            }
        )
    return found


class CareAppointmentQuerySet(models.QuerySet["CareAppointment"]):
    def for_user(self, user: User) -> CareAppointmentQuerySet:
        """Civil affairs and coordinators: all; a supervisor or director: the appointments of
        their division and those below it (a supervisor sees the township's directors)."""
        if sees_all_children(user):
            return self
        found = Q(pk__in=[])
        for _role, prefix in posts_of(user):
            found |= Q(division__code__startswith=prefix)
        return self.filter(found)

    def current(self) -> CareAppointmentQuerySet:
        return self.filter(ends_on__isnull=True)

    def covering(self, division: Division | None) -> CareAppointmentQuerySet:
        """Current appointments of the division's village director and township supervisor
        (the division a child lives in: a village or a township)."""
        if division is None:
            return self.none()
        wanted = Q(pk__in=[])
        if division.level == Division.Level.VILLAGE:
            wanted |= Q(role=CareAppointment.Role.DIRECTOR, division=division)
            if division.parent_id is not None:
                wanted |= Q(role=CareAppointment.Role.SUPERVISOR, division_id=division.parent_id)
        elif division.level == Division.Level.TOWNSHIP:
            wanted |= Q(role=CareAppointment.Role.SUPERVISOR, division=division)
        return self.current().filter(wanted)


class CareAppointment(models.Model):
    """A children's supervisor for a township or a children's director for a village.

    A new appointment for the same role and division ends the current one (the service sets
    its `ends_on`); no appointment is otherwise edited, so the history stays."""

    class Role(models.TextChoices):
        SUPERVISOR = "supervisor", _("children's supervisor (儿童督导员)")
        DIRECTOR = "director", _("children's director (儿童主任)")

    role = models.CharField(pgettext_lazy("appointment", "role"), max_length=10, choices=Role)
    division = models.ForeignKey(
        Division,
        verbose_name=_("township or village"),
        on_delete=models.PROTECT,
        related_name="care_appointments",
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("user account"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="care_appointments",
    )
    person_name = models.CharField(pgettext_lazy("person", "name"), max_length=50, blank=True)
    phone = models.CharField(_("phone"), max_length=20, blank=True)
    starts_on = models.DateField(_("appointed on"))
    ends_on = models.DateField(_("ended on"), null=True, blank=True)
    appointed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("recorded by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField(_("created at"), default=timezone.now)

    objects = CareAppointmentQuerySet.as_manager()

    class Meta:
        verbose_name = _("care appointment")
        verbose_name_plural = _("care appointments")
        ordering = ["division__code", "role", "-starts_on", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["role", "division"],
                condition=Q(ends_on__isnull=True),
                name="care_appointment_one_current",
            ),
            models.CheckConstraint(
                condition=Q(ends_on__isnull=True) | Q(ends_on__gte=F("starts_on")),
                name="care_appointment_ends_after_start",
            ),
            models.CheckConstraint(
                condition=Q(user__isnull=False) | ~Q(person_name=""),
                name="care_appointment_has_someone",
            ),
        ]
        indexes = [models.Index(fields=["user", "ends_on"], name="care_appt_user")]

    def __str__(self) -> str:
        return f"{self.division} · {self.get_role_display()} · {self.holder_name}"

    @property
    def holder_name(self) -> str:
        if self.person_name:
            return self.person_name
        return self.user.full_name if self.user is not None else ""

    @property
    def is_current(self) -> bool:
        return self.ends_on is None


class ChildRecordQuerySet(models.QuerySet):
    def for_user(self, user: User) -> Self:
        if not works_with_data(user):
            return self.none()
        return self.filter(children_q(user))

    def in_division(self, division: Division) -> Self:
        """Records of the children living in the division (or below it)."""
        return self.filter(child__division__code__startswith=division.prefix)


class DifficultyQuerySet(ChildRecordQuerySet):
    def current(self) -> DifficultyQuerySet:
        return self.filter(ended_on__isnull=True)


class Difficulty(models.Model):
    """A child in difficulty (困境儿童), in one of the categories, since a day."""

    class Category(models.TextChoices):
        LACKING_CARE = "lacking_care", _("lacking care")
        ILLNESS_DISABILITY = "illness_disability", _("serious illness or disability")
        HARDSHIP = "hardship", _("family in hardship")

    child = models.ForeignKey(
        Person, verbose_name=_("child"), on_delete=models.CASCADE, related_name="difficulties"
    )
    category = models.CharField(_("category"), max_length=20, choices=Category)
    since = models.DateField(_("in difficulty since"))
    ended_on = models.DateField(_("ended on"), null=True, blank=True)
    notes = models.TextField(_("notes"), blank=True, max_length=2000)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("recorded by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField(_("created at"), default=timezone.now)

    objects = DifficultyQuerySet.as_manager()

    class Meta:
        verbose_name = _("child in difficulty")
        verbose_name_plural = _("children in difficulty")
        ordering = ["-since", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["child", "category"],
                condition=Q(ended_on__isnull=True),
                name="care_difficulty_one_current",
            ),
            models.CheckConstraint(
                condition=Q(ended_on__isnull=True) | Q(ended_on__gte=F("since")),
                name="care_difficulty_ends_after_start",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.child} · {self.get_category_display()}"


class Contact(models.Model):
    """A contact between the parents (or a guardian away) and the left-behind child."""

    class Means(models.TextChoices):
        PHONE = "phone", pgettext_lazy("contact means", "phone call")
        VIDEO = "video", pgettext_lazy("contact means", "video call")
        VISIT = "visit", pgettext_lazy("contact means", "visit home")

    child = models.ForeignKey(
        Person, verbose_name=_("child"), on_delete=models.CASCADE, related_name="care_contacts"
    )
    contacted_on = models.DateField(_("date of contact"))
    by_whom = models.CharField(
        _("by whom"), max_length=50, help_text=_("How they are related to the child.")
    )
    means = models.CharField(pgettext_lazy("contact", "means"), max_length=10, choices=Means)
    notes = models.TextField(_("notes"), blank=True, max_length=2000)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("recorded by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField(_("created at"), default=timezone.now)

    objects = ChildRecordQuerySet.as_manager()

    class Meta:
        verbose_name = _("parent-child contact")
        verbose_name_plural = _("parent-child contacts")
        ordering = ["-contacted_on", "-pk"]
        indexes = [models.Index(fields=["child", "contacted_on"], name="care_contact_child")]

    def __str__(self) -> str:
        return f"{self.contacted_on} · {self.child}"


class Visit(models.Model):
    """A home visit by the children's director (or another user) or a volunteer."""

    class Concern(models.TextChoices):
        CARER_UNFIT = "carer_unfit", _("the carer is unfit (ill, unable)")
        CARER_ABSENT = "carer_absent", _("the carer is absent")
        CHILD_ALONE = "child_alone", _("the child lives alone")
        CARER_DISQUALIFIED = "carer_disqualified", _("the carer is disqualified (Art. 22)")

    child = models.ForeignKey(
        Person, verbose_name=_("child"), on_delete=models.CASCADE, related_name="care_visits"
    )
    visited_on = models.DateField(_("date of visit"))
    visitor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("visitor"),
        on_delete=models.PROTECT,
        related_name="care_visits",
    )
    volunteer = models.ForeignKey(
        Volunteer,
        verbose_name=_("volunteer"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="care_visits",
    )
    carer_fit = models.BooleanField(_("the carer is fit to care"), default=True)
    concern = models.CharField(
        _("concern about the carer"), max_length=20, choices=Concern, blank=True
    )
    school_findings = models.TextField(_("school and study"), blank=True, max_length=2000)
    health_findings = models.TextField(_("health"), blank=True, max_length=2000)
    safety_findings = models.TextField(_("safety"), blank=True, max_length=2000)
    needs = models.TextField(_("needs"), blank=True, max_length=2000)
    next_due = models.DateField(_("next visit due"), null=True, blank=True)
    created_at = models.DateTimeField(_("created at"), default=timezone.now)

    objects = ChildRecordQuerySet.as_manager()

    class Meta:
        verbose_name = _("home visit")
        verbose_name_plural = _("home visits")
        ordering = ["-visited_on", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(carer_fit=False) | Q(concern=""), name="care_visit_concern_if_unfit"
            ),
        ]
        indexes = [models.Index(fields=["child", "visited_on"], name="care_visit_child")]

    def __str__(self) -> str:
        return f"{self.visited_on} · {self.child}"


class CareWarningQuerySet(ChildRecordQuerySet):
    def open(self) -> CareWarningQuerySet:
        return self.filter(closed_at__isnull=True)


class CareWarning(models.Model):
    """A warning about a child's care, raised at once to the township and the village."""

    class Reason(models.TextChoices):
        CARER_UNFIT = "carer_unfit", _("carer unfit")
        CARER_ABSENT = "carer_absent", _("carer absent")
        CHILD_ALONE = "child_alone", _("child alone")
        CARER_DISQUALIFIED = "carer_disqualified", _("carer disqualified")
        CONTACT_OVERDUE = "contact_overdue", _("parents' contact overdue")

    child = models.ForeignKey(
        Person, verbose_name=_("child"), on_delete=models.CASCADE, related_name="care_warnings"
    )
    reason = models.CharField(_("reason"), max_length=20, choices=Reason)
    visit = models.ForeignKey(
        Visit,
        verbose_name=_("home visit"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="warnings",
    )
    raised_at = models.DateTimeField(_("raised at"), default=timezone.now)
    raised_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("raised by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    closed_at = models.DateTimeField(_("closed at"), null=True, blank=True)
    closed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("closed by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    close_reason = models.TextField(_("why it was closed"), blank=True, max_length=2000)

    objects = CareWarningQuerySet.as_manager()

    class Meta:
        verbose_name = _("care warning")
        verbose_name_plural = _("care warnings")
        ordering = ["-raised_at", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["child", "reason"],
                condition=Q(closed_at__isnull=True),
                name="care_warning_one_open",
            ),
        ]
        indexes = [models.Index(fields=["closed_at", "raised_at"], name="care_warning_open")]

    def __str__(self) -> str:
        return f"{self.child} · {self.get_reason_display()}"

    @property
    def is_open(self) -> bool:
        return self.closed_at is None


def concern_reason(concern: str) -> str:
    """The warning a visit's concern about the carer raises."""
    reasons: dict[str, str] = {
        Visit.Concern.CARER_ABSENT: CareWarning.Reason.CARER_ABSENT,
        Visit.Concern.CHILD_ALONE: CareWarning.Reason.CHILD_ALONE,
        Visit.Concern.CARER_DISQUALIFIED: CareWarning.Reason.CARER_DISQUALIFIED,
    }
    return reasons.get(concern, CareWarning.Reason.CARER_UNFIT)


def child_township(child: Person) -> Division | None:
    """The township the child lives in (their residence is a village or a township)."""
    division = child.division
    if division is None:
        return None
    if division.level == Division.Level.VILLAGE:
        return division.parent
    return division if division.level == Division.Level.TOWNSHIP else None


def cared_children() -> PersonQuerySet:
    """The children the care system looks after: actively left behind, or in difficulty."""
    left_behind = LeftBehindStatus.objects.filter(is_active=True).values("child_id")
    in_difficulty = Difficulty.objects.current().values("child_id")
    return Person.objects.filter(Q(pk__in=left_behind) | Q(pk__in=in_difficulty))


def children_for(user: User) -> PersonQuerySet:
    """The children looked after whose care records the user reads (for_user's rule on the
    child itself: all for civil affairs and coordinators, the division of a current post, a
    school's left-behind pupils)."""
    if not works_with_data(user):
        return Person.objects.none()
    if sees_all_children(user):
        return cared_children()
    found = Q(pk__in=[])
    for _role, prefix in posts_of(user):
        found |= Q(division__code__startswith=prefix)
    if in_school(user):
        found |= Q(school_id=user.organisation_id, left_behind__is_active=True)
    return cared_children().filter(found)


class NeedQuerySet(ChildRecordQuerySet):
    def open(self) -> Self:
        return self.filter(referral__isnull=True, met_on__isnull=True)


class Need(models.Model):
    """A need of a child found in their care (relief, health, education...), which becomes a
    referral to the unit that can meet it through casework."""

    class Kind(models.TextChoices):
        RELIEF = "relief", pgettext_lazy("need", "relief")
        HEALTH = "health", pgettext_lazy("need", "health care")
        EDUCATION = "education", pgettext_lazy("need", "education")
        OTHER = "other", pgettext_lazy("need", "other")

    child = models.ForeignKey(
        Person, verbose_name=_("child"), on_delete=models.CASCADE, related_name="care_needs"
    )
    visit = models.ForeignKey(
        Visit,
        verbose_name=_("found at the visit"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="need_rows",
    )
    kind = models.CharField(_("kind of need"), max_length=10, choices=Kind)
    description = models.TextField(_("what is needed"), max_length=2000)
    raised_on = models.DateField(_("raised on"), default=timezone.localdate)
    referral = models.OneToOneField(
        "casework.Referral",
        verbose_name=_("referral"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="care_need",
    )
    met_on = models.DateField(_("met on"), null=True, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("recorded by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    objects = NeedQuerySet.as_manager()

    class Meta:
        verbose_name = _("need")
        verbose_name_plural = _("needs")
        ordering = ["-raised_on", "-pk"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} · {self.raised_on}"
