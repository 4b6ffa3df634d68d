"""Law education (法治教育): terms and their coverage rule, topics, sessions, the case library.

A session taught by a legal vice-principal is linked to the legalvp duty record that the session
service writes for it, so its hours are entered once and counted where the four-hour rule counts.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from weibao.accounts.models import Division, Organisation, User
from weibao.accounts.policy import in_education_bureau, is_county_coordinator, is_member

MAX_SESSION_HOURS = Decimal(8)

# Who sees every session (the scope of `Session.objects.for_user`); policy.py builds on it.
sees_all_sessions = is_county_coordinator | in_education_bureau


# Terms and the coverage rule -----------------------------------------------------------------


class TermQuerySet(models.QuerySet["Term"]):
    def containing(self, day: date) -> TermQuerySet:
        """Terms whose first and last days (both inclusive) enclose `day`."""
        return self.filter(start__lte=day, end__gte=day)

    def current(self, on: date | None = None) -> Term | None:
        """The term running on `on` (today), else the latest one that has started."""
        on = on or timezone.localdate()
        return self.containing(on).first() or self.filter(start__lte=on).first() or self.first()


class Term(models.Model):
    """A school term (学期), e.g. 2026-2027学年第一学期. Both boundary days belong to it."""

    name = models.CharField(pgettext_lazy("school year", "name"), max_length=50, unique=True)
    start = models.DateField(_("first day"))
    end = models.DateField(_("last day"))
    created_at = models.DateTimeField(_("created at"), default=timezone.now)

    objects = TermQuerySet.as_manager()

    class Meta:
        verbose_name = _("term")
        verbose_name_plural = _("terms")
        ordering = ["-start", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(end__gte=models.F("start")), name="education_term_order"
            )
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def rule(self) -> CoverageRule:
        """The rule in force: the newest row, or the county default when none was set."""
        # prefetch_related("rules") (the terms page) answers without a query per term.
        rules = getattr(self, "_prefetched_objects_cache", {}).get("rules")
        if rules is None:
            latest = self.rules.order_by("-set_at", "-id").first()
        else:
            latest = max(rules, key=lambda rule: (rule.set_at, rule.pk), default=None)
        return latest or CoverageRule(term=self)


class CoverageRule(models.Model):
    """The minimum sessions a school must have in a term. A change adds a row (the history)."""

    term = models.ForeignKey(
        Term, verbose_name=_("term"), on_delete=models.CASCADE, related_name="rules"
    )
    min_pupil_sessions = models.PositiveSmallIntegerField(
        _("sessions for pupils per school"), default=1
    )
    min_parent_sessions = models.PositiveSmallIntegerField(
        _("sessions for parents per school"), default=1
    )
    kindergarten_parent_sessions = models.PositiveSmallIntegerField(
        _("sessions for parents per kindergarten"),
        default=1,
        help_text=_("Kindergartens need sessions for parents only."),
    )
    set_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("set by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    set_at = models.DateTimeField(_("set at"), default=timezone.now)

    class Meta:
        verbose_name = _("coverage rule")
        verbose_name_plural = _("coverage rules")
        ordering = ["-set_at", "-id"]

    def __str__(self) -> str:
        return f"{self.term}: {self.min_pupil_sessions}/{self.min_parent_sessions}"


# Topics --------------------------------------------------------------------------------------


class TopicQuerySet(models.QuerySet["Topic"]):
    def active(self) -> TopicQuerySet:
        return self.filter(is_active=True)


class Topic(models.Model):
    """One topic of the county's list (anti-bullying, drowning prevention...)."""

    name = models.CharField(pgettext_lazy("topic", "name"), max_length=50, unique=True)
    position = models.PositiveSmallIntegerField(_("position"), default=0)
    is_active = models.BooleanField(_("in use"), default=True)

    objects = TopicQuerySet.as_manager()

    class Meta:
        verbose_name = _("topic")
        verbose_name_plural = _("topics")
        ordering = ["position", "id"]

    def __str__(self) -> str:
        return self.name


# The case library ----------------------------------------------------------------------------


class TeachingCaseQuerySet(models.QuerySet["TeachingCase"]):
    def for_user(self, user: User) -> TeachingCaseQuerySet:
        """Published cases for every member; proposed and rejected ones for the proposing unit
        and the county coordinators."""
        if not is_member(user):
            return self.none()
        if is_county_coordinator(user):
            return self.all()
        return self.filter(
            Q(status=TeachingCase.Status.PUBLISHED) | Q(proposing_unit_id=user.organisation_id)
        )

    def published(self) -> TeachingCaseQuerySet:
        return self.filter(status=TeachingCase.Status.PUBLISHED)

    def proposed(self) -> TeachingCaseQuerySet:
        return self.filter(status=TeachingCase.Status.PROPOSED)


class TeachingCase(models.Model):
    """A teaching case (以案释法), written so that no child can be identified."""

    class Status(models.TextChoices):
        PROPOSED = "proposed", _("proposed")
        PUBLISHED = "published", _("published")
        REJECTED = "rejected", _("rejected")

    class AgeGroup(models.TextChoices):
        KINDERGARTEN = "kindergarten", _("kindergarten")
        PRIMARY = "primary", _("primary school")
        JUNIOR = "junior", _("junior secondary")
        SENIOR = "senior", _("senior secondary")
        ALL = "all", _("all ages")

    title = models.CharField(_("title"), max_length=200)
    summary = models.TextField(_("summary"), max_length=5000)
    statute = models.CharField(
        _("statute"), max_length=200, help_text=_("The law it teaches, e.g. 未成年人保护法.")
    )
    article = models.CharField(_("article"), max_length=100, blank=True)
    age_group = models.CharField(_("age group"), max_length=20, choices=AgeGroup.choices)
    topics = models.ManyToManyField(Topic, verbose_name=_("topics"), related_name="cases")
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.PROPOSED
    )
    proposing_unit = models.ForeignKey(
        Organisation,
        verbose_name=_("proposing unit"),
        on_delete=models.PROTECT,
        related_name="proposed_cases",
    )
    proposed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("proposed by"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    approver = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("approved by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)
    decision_note = models.CharField(_("reason"), max_length=200, blank=True)
    created_at = models.DateTimeField(_("created at"), default=timezone.now)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    objects = TeachingCaseQuerySet.as_manager()

    class Meta:
        verbose_name = _("teaching case")
        verbose_name_plural = _("teaching cases")
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["status", "age_group"], name="education_case_status_idx")]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("education:case_detail", args=[self.pk])


# Sessions ------------------------------------------------------------------------------------


class SessionQuerySet(models.QuerySet["Session"]):
    def for_user(self, user: User) -> SessionQuerySet:
        """The bureau and coordinators see all; a school its own; the unit that recorded a
        session, the speaker's unit and a legal vice-principal's sending body see it; a township
        or police station the sessions held in its division."""
        if not is_member(user):
            return self.none()
        if sees_all_sessions(user):
            return self.all()
        scope = user.scope
        if scope.empty:
            return self.none()
        return self.filter(
            scope.q(
                "school__organisation",
                "organiser",
                "speaker_unit",
                "appointment__sending_unit",
                division="school__organisation__division",
            )
            | scope.q(division="division")
            | Q(appointment__appointee_user=user)
        )

    def in_term(self, term: Term) -> SessionQuerySet:
        """Sessions dated within the term, both boundary days included."""
        return self.filter(date__gte=term.start, date__lte=term.end)

    def held(self) -> SessionQuerySet:
        return self.filter(status=Session.Status.HELD)

    def overdue(self, on: date | None = None) -> SessionQuerySet:
        """Planned sessions whose day has passed without being recorded as held."""
        on = on or timezone.localdate()
        return self.filter(status=Session.Status.PLANNED, date__lt=on)


class Session(models.Model):
    """A law-education session, planned or held, at a school or in a village or community."""

    class Status(models.TextChoices):
        PLANNED = "planned", _("planned")
        HELD = "held", _("held")
        CANCELLED = "cancelled", _("cancelled")

    class Audience(models.TextChoices):
        PUPILS = "pupils", pgettext_lazy("audience", "pupils")
        TEACHERS = "teachers", _("teachers")
        PARENTS = "parents", _("parents")
        # More than one group together (a family open day): each group's count is recorded
        # (pupils_attending, teachers_attending, parents_attending).
        MIXED = "mixed", _("mixed (more than one group)")

    class SpeakerKind(models.TextChoices):
        LEGAL_VP = "legal_vp", _("legal vice-principal")
        PROCURATORATE = "procuratorate", _("procuratorate officer")
        POLICE = "police", _("police officer")
        VOLUNTEER = "volunteer", _("volunteer")
        TEACHER = "teacher", _("teacher")

    # Audiences that count toward the pupils' and the parents' minimum.
    FOR_PUPILS = (Audience.PUPILS, Audience.MIXED)
    FOR_PARENTS = (Audience.PARENTS, Audience.MIXED)
    # Each group's count, by the audience it stands for.
    GROUP_FIELDS = {
        Audience.PUPILS: "pupils_attending",
        Audience.TEACHERS: "teachers_attending",
        Audience.PARENTS: "parents_attending",
    }

    school = models.ForeignKey(
        "schools.School",
        verbose_name=_("school"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="law_sessions",
    )
    division = models.ForeignKey(
        Division,
        verbose_name=_("village or community"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="law_sessions",
        help_text=_("For a session outside schools."),
    )
    organiser = models.ForeignKey(
        Organisation,
        verbose_name=_("recorded by unit"),
        on_delete=models.PROTECT,
        related_name="organised_law_sessions",
    )
    date = models.DateField(_("date"))
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.PLANNED
    )
    audience = models.CharField(
        pgettext_lazy("session", "audience"), max_length=10, choices=Audience.choices
    )
    grades = models.CharField(_("grades"), max_length=100, blank=True)
    # Who came, by group (one session may reach all three); `attendance` is their sum.
    pupils_attending = models.PositiveIntegerField(_("pupils attending"), default=0)
    teachers_attending = models.PositiveIntegerField(_("teachers attending"), default=0)
    parents_attending = models.PositiveIntegerField(_("parents attending"), default=0)
    attendance = models.PositiveIntegerField(_("number attending"), default=0)
    topics = models.ManyToManyField(Topic, verbose_name=_("topics"), related_name="sessions")
    speaker_kind = models.CharField(_("speaker"), max_length=15, choices=SpeakerKind.choices)
    appointment = models.ForeignKey(
        "legalvp.Appointment",
        verbose_name=_("legal vice-principal"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="law_sessions",
    )
    speaker_name = models.CharField(_("speaker's name"), max_length=50, blank=True)
    speaker_unit = models.ForeignKey(
        Organisation,
        verbose_name=_("speaker's unit"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="taught_law_sessions",
    )
    hours = models.DecimalField(_("class hours"), max_digits=3, decimal_places=1, default=1)
    cases = models.ManyToManyField(
        TeachingCase, verbose_name=_("cases used"), blank=True, related_name="sessions"
    )
    notice_sent = models.BooleanField(_("notice to parents sent"), default=False)
    receipts_returned = models.PositiveIntegerField(_("receipts returned"), null=True, blank=True)
    notes = models.TextField(_("notes"), blank=True, max_length=5000)
    duty_record = models.OneToOneField(
        "legalvp.DutyRecord",
        verbose_name=_("duty record"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="law_session",
        editable=False,
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("created by"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField(_("created at"), default=timezone.now)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    objects = SessionQuerySet.as_manager()

    class Meta:
        verbose_name = _("law-education session")
        verbose_name_plural = _("law-education sessions")
        ordering = ["-date", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=(Q(school__isnull=False) & Q(division__isnull=True))
                | (Q(school__isnull=True) & Q(division__isnull=False)),
                name="education_session_one_place",
            ),
            models.CheckConstraint(
                condition=Q(hours__gte=0) & Q(hours__lte=MAX_SESSION_HOURS),
                name="education_session_hours_range",
            ),
        ]
        indexes = [
            models.Index(fields=["school", "date"], name="education_session_school_idx"),
            models.Index(fields=["status", "date"], name="education_session_status_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.date} {self.place_name} {self.get_audience_display()}"

    def get_absolute_url(self) -> str:
        return reverse("education:session_detail", args=[self.pk])

    @property
    def place_name(self) -> str:
        if self.school_id is not None:
            return self.school.organisation.name  # type: ignore[union-attr]
        return self.division.name if self.division is not None else ""

    @property
    def is_overdue(self) -> bool:
        return self.status == self.Status.PLANNED and self.date < timezone.localdate()

    @property
    def for_parents(self) -> bool:
        """A held session reached parents if parents came; a planned one if it is meant to."""
        if self.status == self.Status.HELD and self.attendance:
            return self.parents_attending > 0
        return self.audience in self.FOR_PARENTS
