"""Legal vice-principals (法治副校长): appointments, the schools they serve, duties, evaluations.

After 《中小学法治副校长聘任与管理办法》 (教育部令第52号): a person sent by the court,
procuratorate, police or justice bureau, appointed by the education bureau or the school, for
a term of usually three years; one person serves at most two schools; at least four class hours
of law education a year; the school evaluates them yearly.
"""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.db.models.functions import Coalesce
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from weibao.accounts.models import Organisation, User
from weibao.accounts.policy import in_education_bureau, is_county_coordinator, is_member
from weibao.people.models import Person
from weibao.schools.models import School

TERM_YEARS = 3
MIN_LAW_HOURS = Decimal(4)  # class hours of law education a year (Art. 7 of the rules)
MAX_SCHOOLS_PER_PERSON = 2
MAX_HOURS_PER_RECORD = Decimal(8)
ENDING_SOON_DAYS = 60
# The letter's serial number: 乐教法聘〔2026〕第12号. The prefix is the county's own.
SERIAL_PREFIX = getattr(settings, "LEGALVP_SERIAL_PREFIX", "乐教法聘")
# School kinds the rules cover: kindergartens have no legal vice-principal.
COVERED_SCHOOL_KINDS = tuple(k for k in School.Kind.values if k != School.Kind.KINDERGARTEN)

# Who sees every appointment, duty record and evaluation (the `for_user` scope); policy.py
# builds on it.
sees_all_appointments = is_county_coordinator | in_education_bureau


def default_term_end(start: date) -> date:
    """Three years less a day: a term from 2026-09-01 ends on 2029-08-31."""
    try:
        same_day = start.replace(year=start.year + TERM_YEARS)
    except ValueError:  # 29 February
        same_day = date(start.year + TERM_YEARS, 3, 1)
    return same_day - timedelta(days=1)


def law_education_hours_expression(year: int, outer: str = "pk") -> models.Expression:
    """The law-education class hours of an appointment in `year`, as an expression.

    The one place the four-hour count is defined: FD1 duty records of the year. Hours taught in
    law-education sessions (a later capability) are to be added here, so the list, the detail
    page, the summary and the home page all count the same way.
    """
    hours = (
        DutyRecord.objects.filter(
            appointment=models.OuterRef(outer),
            kind=DutyRecord.Kind.LAW_EDUCATION,
            date__year=year,
        )
        .order_by()
        .values("appointment")
        .annotate(total=models.Sum("hours"))
        .values("total")
    )
    return Coalesce(
        models.Subquery(hours, output_field=models.DecimalField(max_digits=8, decimal_places=1)),
        models.Value(Decimal(0)),
        output_field=models.DecimalField(max_digits=8, decimal_places=1),
    )


class SerialCounter(models.Model):
    """The last serial number given in a year; locked while the next one is taken."""

    year = models.PositiveIntegerField(_("year"), unique=True)
    last = models.PositiveIntegerField(_("last number"), default=0)

    class Meta:
        verbose_name = _("serial counter")
        verbose_name_plural = _("serial counters")

    def __str__(self) -> str:
        return f"{self.year}: {self.last}"


class AppointmentQuerySet(models.QuerySet["Appointment"]):
    def for_user(self, user: User) -> AppointmentQuerySet:
        """The bureau and coordinators see all; a sending body its appointees; a school the
        appointments at it; an appointee their own; everyone else nothing."""
        if not is_member(user):
            return self.none()
        if sees_all_appointments(user):
            return self.all()
        scope = user.scope
        at_school = AppointmentSchool.objects.filter(scope.q("school__organisation")).values(
            "appointment_id"
        )
        return self.filter(scope.q("sending_unit") | Q(pk__in=at_school) | Q(appointee_user=user))

    def active(self, on: date | None = None) -> AppointmentQuerySet:
        """Appointments in force: status active and the term not over on `on` (today)."""
        on = on or timezone.localdate()
        return self.filter(status=Appointment.Status.ACTIVE, term_end__gte=on)

    def ending_within(
        self, days: int = ENDING_SOON_DAYS, on: date | None = None
    ) -> AppointmentQuerySet:
        on = on or timezone.localdate()
        return self.active(on).filter(term_end__lte=on + timedelta(days=days))

    def with_law_hours(self, year: int) -> AppointmentQuerySet:
        """Annotate `law_hours`: the year's law-education class hours."""
        return self.annotate(law_hours=law_education_hours_expression(year))

    def below_minimum(self, year: int | None = None) -> AppointmentQuerySet:
        """Active appointments with fewer than four law-education hours this year."""
        year = year or timezone.localdate().year
        return self.active().with_law_hours(year).filter(law_hours__lt=MIN_LAW_HOURS)  # type: ignore[misc]


class Appointment(models.Model):
    """One term of one legal vice-principal, at one or two schools."""

    class SendingKind(models.TextChoices):
        PROCURATORATE = "procuratorate", _("procuratorate")
        COURT = "court", _("court")
        PUBLIC_SECURITY = "public_security", _("public security")
        JUSTICE = "justice", _("justice bureau")
        OTHER = "other", _("other")

    class Status(models.TextChoices):
        ACTIVE = "active", _("active")
        ENDED = "ended", _("ended")
        RENEWED = "renewed", _("renewed")

    # The sending kind that each kind of unit is, by default.
    KIND_OF_UNIT = {
        Organisation.Kind.PROCURATORATE: SendingKind.PROCURATORATE,
        Organisation.Kind.COURT: SendingKind.COURT,
        Organisation.Kind.PUBLIC_SECURITY: SendingKind.PUBLIC_SECURITY,
        Organisation.Kind.POLICE_STATION: SendingKind.PUBLIC_SECURITY,
        Organisation.Kind.JUSTICE: SendingKind.JUSTICE,
    }

    person = models.ForeignKey(
        Person,
        verbose_name=_("legal vice-principal"),
        on_delete=models.PROTECT,
        related_name="legalvp_appointments",
    )
    appointee_user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("platform account"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="legalvp_appointments",
        help_text=_("If the appointee signs in, they record their own duties."),
    )
    sending_unit = models.ForeignKey(
        Organisation,
        verbose_name=_("sending body"),
        on_delete=models.PROTECT,
        related_name="sent_legalvp_appointments",
    )
    sending_kind = models.CharField(_("sending kind"), max_length=20, choices=SendingKind.choices)
    position = models.CharField(_("position"), max_length=100, blank=True)
    phone = models.CharField(_("work phone"), max_length=20, blank=True)
    appointing_unit = models.ForeignKey(
        Organisation,
        verbose_name=_("appointing body"),
        on_delete=models.PROTECT,
        related_name="made_legalvp_appointments",
    )
    schools = models.ManyToManyField(
        School,
        verbose_name=_("schools"),
        through="AppointmentSchool",
        related_name="legalvp_appointments",
    )
    term_start = models.DateField(_("term start"))
    term_end = models.DateField(_("term end"))
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.ACTIVE
    )
    ended_on = models.DateField(_("ended on"), null=True, blank=True)
    renewed_from = models.OneToOneField(
        "self",
        verbose_name=_("renewal of"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="renewal",
    )
    issued_on = models.DateField(_("letter issued on"), default=timezone.localdate)
    serial_year = models.PositiveIntegerField(_("serial year"), editable=False)
    serial_no = models.PositiveIntegerField(_("serial number"), editable=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("created by"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField(_("created at"), default=timezone.now)

    objects = AppointmentQuerySet.as_manager()

    class Meta:
        verbose_name = _("legal vice-principal appointment")
        verbose_name_plural = _("legal vice-principal appointments")
        ordering = ["-term_start", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["serial_year", "serial_no"], name="legalvp_serial_unique"
            ),
            models.CheckConstraint(
                condition=Q(term_end__gt=models.F("term_start")), name="legalvp_term_order"
            ),
        ]
        indexes = [models.Index(fields=["status", "term_end"], name="legalvp_status_end_idx")]

    def __str__(self) -> str:
        return f"{self.person.name}（{self.serial_number}）"

    def get_absolute_url(self) -> str:
        return reverse("legalvp:detail", args=[self.pk])

    @property
    def serial_number(self) -> str:
        return f"{SERIAL_PREFIX}〔{self.serial_year}〕第{self.serial_no}号"

    @property
    def is_active(self) -> bool:
        return self.status == self.Status.ACTIVE and self.term_end >= timezone.localdate()

    @property
    def ends_soon(self) -> bool:
        return self.is_active and (self.term_end - timezone.localdate()).days <= ENDING_SOON_DAYS


class AppointmentSchool(models.Model):
    """A school that an appointment serves."""

    appointment = models.ForeignKey(
        Appointment,
        verbose_name=_("appointment"),
        on_delete=models.CASCADE,
        related_name="school_links",
    )
    school = models.ForeignKey(
        School, verbose_name=_("school"), on_delete=models.PROTECT, related_name="legalvp_links"
    )

    class Meta:
        verbose_name = _("appointment school")
        verbose_name_plural = _("appointment schools")
        ordering = ["appointment", "school__organisation__name"]
        constraints = [
            models.UniqueConstraint(
                fields=["appointment", "school"], name="legalvp_appointment_school_unique"
            )
        ]

    def __str__(self) -> str:
        return f"{self.appointment_id} · {self.school_id}"


class DutyRecordQuerySet(models.QuerySet["DutyRecord"]):
    def for_user(self, user: User) -> DutyRecordQuerySet:
        """The bureau and coordinators see all; a sending body its appointees' records; a school
        the records at it; an appointee their own."""
        if not is_member(user):
            return self.none()
        if sees_all_appointments(user):
            return self.all()
        scope = user.scope
        return self.filter(
            scope.q("appointment__sending_unit", "school__organisation")
            | Q(appointment__appointee_user=user)
        )


class DutyRecord(models.Model):
    """One duty performed (Art. 5 of the rules), with its class hours."""

    class Kind(models.TextChoices):
        LAW_EDUCATION = "FD1", _("law education")
        STUDENT_RIGHTS = "FD2", _("protecting students' rights")
        CRIME_PREVENTION = "FD3", _("crime prevention")
        SAFETY = "FD4", _("safety management")
        DISCIPLINE = "FD5", _("school discipline")
        GOVERNANCE = "FD6", _("guiding lawful governance")
        OTHER = "FD7", _("other")

    appointment = models.ForeignKey(
        Appointment, verbose_name=_("appointment"), on_delete=models.CASCADE, related_name="duties"
    )
    school = models.ForeignKey(
        School, verbose_name=_("school"), on_delete=models.PROTECT, related_name="legalvp_duties"
    )
    kind = models.CharField(_("duty"), max_length=3, choices=Kind.choices)
    date = models.DateField(_("date"))
    hours = models.DecimalField(_("hours"), max_digits=3, decimal_places=1)
    notes = models.TextField(_("notes"), blank=True, max_length=5000)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("recorded by"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField(_("created at"), default=timezone.now)

    objects = DutyRecordQuerySet.as_manager()

    class Meta:
        verbose_name = _("duty record")
        verbose_name_plural = _("duty records")
        ordering = ["-date", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(hours__gt=0) & Q(hours__lte=MAX_HOURS_PER_RECORD),
                name="legalvp_duty_hours_range",
            )
        ]
        indexes = [
            models.Index(fields=["appointment", "kind", "date"], name="legalvp_duty_kind_idx")
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.date}"

    @property
    def counts_toward_minimum(self) -> bool:
        return self.kind == self.Kind.LAW_EDUCATION


class EvaluationQuerySet(models.QuerySet["Evaluation"]):
    def for_user(self, user: User) -> EvaluationQuerySet:
        """The bureau and coordinators see all; a sending body its appointees' evaluations (it
        counts them in its own appraisal); a school its own; an appointee their own."""
        if not is_member(user):
            return self.none()
        if sees_all_appointments(user):
            return self.all()
        scope = user.scope
        return self.filter(
            scope.q("appointment__sending_unit", "school__organisation")
            | Q(appointment__appointee_user=user)
        )


class Evaluation(models.Model):
    """The school's yearly evaluation of its legal vice-principal."""

    class Grade(models.TextChoices):
        EXCELLENT = "excellent", _("excellent")
        COMPETENT = "competent", _("competent")
        BASIC = "basic", _("basically competent")
        INCOMPETENT = "incompetent", _("incompetent")

    appointment = models.ForeignKey(
        Appointment,
        verbose_name=_("appointment"),
        on_delete=models.CASCADE,
        related_name="evaluations",
    )
    school = models.ForeignKey(
        School,
        verbose_name=_("school"),
        on_delete=models.PROTECT,
        related_name="legalvp_evaluations",
    )
    year = models.PositiveIntegerField(_("year"))
    grade = models.CharField(
        pgettext_lazy("evaluation", "grade"), max_length=12, choices=Grade.choices
    )
    comments = models.TextField(_("comments"), blank=True, max_length=5000)
    evaluated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("evaluated by"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    updated_at = models.DateTimeField(_("updated at"), default=timezone.now)

    objects = EvaluationQuerySet.as_manager()

    class Meta:
        verbose_name = _("evaluation")
        verbose_name_plural = _("evaluations")
        ordering = ["-year", "school__organisation__name"]
        constraints = [
            models.UniqueConstraint(
                fields=["appointment", "school", "year"], name="legalvp_evaluation_unique"
            )
        ]

    def __str__(self) -> str:
        return f"{self.year} {self.get_grade_display()}"
