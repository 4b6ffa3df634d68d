"""At-risk minors: files, misconduct events, risk factors, measures, plans, warnings, sealing.

Access is enforced here, in the `for_user` QuerySets, so pages, the API and exports apply one rule:

- a county coordinator sees the county;
- a school (and the education bureau, for its schools) sees its own pupils' files, only the events
  it reported or that were shared with it, and never police, prosecution or guardian-order measures;
- a township government or village committee sees the files of minors living in its division;
- the police, and any other unit, see the files they are assigned, were referred, or recorded an
  event or measure in;
- everyone else (system administrators, auditors, hotels...) sees nothing.

Sealed events and measures (§5 of the reference) are hidden from every user, coordinators too,
unless the user holds an approved, unexpired SealedQueryApplication for the file.
"""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING, Any

from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import get_language, pgettext, pgettext_lazy
from django.utils.translation import gettext_lazy as _

from weibao.accounts.models import Division, Organisation, User
from weibao.accounts.policy import is_county_coordinator, works_with_data
from weibao.atrisk.grading import CrimeClass, Grade, Params, reason_text
from weibao.atrisk.scoring import Weights
from weibao.people.models import Person

if TYPE_CHECKING:
    from weibao.accounts.policy import Scope

K = Organisation.Kind
POLICE_KINDS = Organisation.POLICE_KINDS
# Units that see the minors living in their division.
RESIDENT_KINDS = frozenset({K.TOWNSHIP, K.VILLAGE_COMMITTEE})
# Units that see their pupils' files: schools, and the education bureau above them.
SCHOOL_SIDE_KINDS = frozenset({*Organisation.SCHOOL_KINDS, K.EDUCATION})


# Units that take part in at-risk work at all; others (hotels, hospitals, market regulation...)
# see nothing, whatever their role.
ATRISK_UNIT_KINDS = frozenset(
    {
        *SCHOOL_SIDE_KINDS,
        *RESIDENT_KINDS,
        *POLICE_KINDS,
        K.PROCURATORATE,
        K.COURT,
        K.JUSTICE,
        K.CIVIL_AFFAIRS,
        K.WOMENS_FEDERATION,
        K.YOUTH_LEAGUE,
        K.GUANGONGWEI,
        K.SOCIAL_WORK,
        K.WOMEN_CHILDREN_COMMITTEE,
    }
)


def works_on_atrisk(user: User) -> bool:
    """Whether the user sees at-risk data at all: a data role in a unit that takes part."""
    if not works_with_data(user):
        return False
    return bool(is_county_coordinator(user) or user.organisation.kind in ATRISK_UNIT_KINDS)


_sees = works_on_atrisk


def is_school_side(user: User) -> bool:
    return not is_county_coordinator(user) and user.organisation.kind in SCHOOL_SIDE_KINDS


class Behaviour(models.Model):
    """One of the law's behaviour codes: BL01-BL09 (Art. 28) or SB00-SB09 (Art. 38)."""

    class Kind(models.TextChoices):
        MISCONDUCT = "misconduct", _("misconduct (Art. 28)")
        SERIOUS = "serious", _("serious misconduct (Art. 38)")

    code = models.CharField(_("code"), max_length=4, unique=True)
    kind = models.CharField(_("kind"), max_length=12, choices=Kind.choices)
    name_zh = models.CharField(_("name (Chinese)"), max_length=200)
    name_en = models.CharField(_("name (English)"), max_length=200)

    class Meta:
        verbose_name = _("behaviour")
        verbose_name_plural = _("behaviours")
        ordering = ["code"]

    def __str__(self) -> str:
        return f"{self.code} {self.label}"

    @property
    def label(self) -> str:
        return self.name_zh if (get_language() or "zh").startswith("zh") else self.name_en


class GradingRuleSetQuerySet(models.QuerySet["GradingRuleSet"]):
    def active(self) -> GradingRuleSet:
        """The version in force; the defaults if none was ever saved."""
        return self.filter(is_active=True).order_by("-version").first() or GradingRuleSet()


class GradingRuleSet(models.Model):
    """The county's grading and warning parameters. Never changed in place: each change is a new
    version, so the history shows what rules gave which grade when."""

    version = models.PositiveIntegerField(_("version"), unique=True, default=1)
    is_active = models.BooleanField(_("in force"), default=True)
    repeat_threshold = models.PositiveSmallIntegerField(
        _("events that count as repeated"), default=3
    )
    repeat_window_days = models.PositiveSmallIntegerField(_("repeat window (days)"), default=365)
    contact_days_t1 = models.PositiveSmallIntegerField(_("contact interval T1 (days)"), default=30)
    contact_days_t1p = models.PositiveSmallIntegerField(
        _("contact interval T1+ (days)"), default=21
    )
    contact_days_t2 = models.PositiveSmallIntegerField(_("contact interval T2 (days)"), default=14)
    contact_days_t3 = models.PositiveSmallIntegerField(_("contact interval T3 (days)"), default=14)
    contact_days_t3p = models.PositiveSmallIntegerField(_("contact interval T3+ (days)"), default=7)
    contact_days_t4 = models.PositiveSmallIntegerField(_("contact interval T4 (days)"), default=14)
    weight_misconduct = models.FloatField(_("weight of a misconduct event"), default=10)
    weight_serious = models.FloatField(_("weight of a serious-misconduct event"), default=30)
    weight_criminal = models.FloatField(_("weight of criminal-law conduct"), default=40)
    weight_flag = models.FloatField(_("weight of each legal flag"), default=10)
    weight_factor = models.FloatField(_("weight of each risk factor"), default=5)
    half_life_days = models.PositiveSmallIntegerField(_("decay half-life (days)"), default=180)
    score_window_days = models.PositiveSmallIntegerField(_("score window (days)"), default=730)
    warning_threshold = models.FloatField(_("warning threshold"), default=60)
    note = models.CharField(_("reason for the change"), max_length=200, blank=True)
    created_by = models.ForeignKey(
        User,
        verbose_name=_("changed by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField(_("changed at"), default=timezone.now)

    objects = GradingRuleSetQuerySet.as_manager()

    PARAMETERS = (
        "repeat_threshold",
        "repeat_window_days",
        "contact_days_t1",
        "contact_days_t1p",
        "contact_days_t2",
        "contact_days_t3",
        "contact_days_t3p",
        "contact_days_t4",
        "weight_misconduct",
        "weight_serious",
        "weight_criminal",
        "weight_flag",
        "weight_factor",
        "half_life_days",
        "score_window_days",
        "warning_threshold",
    )

    class Meta:
        verbose_name = _("grading rules")
        verbose_name_plural = _("grading rules")
        ordering = ["-version"]
        constraints = [
            models.UniqueConstraint(
                fields=["is_active"], condition=Q(is_active=True), name="ruleset_one_active"
            )
        ]

    def __str__(self) -> str:
        return f"v{self.version}"

    def contact_days(self, grade: str) -> int | None:
        """Days between contacts for a grade; None for watch (no plan)."""
        days: dict[str, int] = {
            Grade.MISCONDUCT: self.contact_days_t1,
            Grade.PERSISTENT: self.contact_days_t1p,
            Grade.SERIOUS: self.contact_days_t2,
            Grade.UNDER_AGE_CRIME: self.contact_days_t3,
            Grade.SPECIAL_EDUCATION: self.contact_days_t3p,
            Grade.CRIMINAL: self.contact_days_t4,
        }
        return days.get(grade)

    def grading_params(self) -> Params:

        return Params(self.repeat_threshold, self.repeat_window_days)

    def weights(self) -> Weights:

        return Weights(
            misconduct=self.weight_misconduct,
            serious=self.weight_serious,
            criminal=self.weight_criminal,
            flag=self.weight_flag,
            factor=self.weight_factor,
            half_life_days=self.half_life_days,
            window_days=self.score_window_days,
        )


# Files -------------------------------------------------------------------------------------


def application_file_ids(user: User) -> models.QuerySet[Any, Any]:
    """Files for which the user holds an approved, unexpired sealed-record query application."""
    return SealedQueryApplication.objects.filter(
        applicant=user,
        decision=SealedQueryApplication.Decision.APPROVED,
        expires_on__gte=timezone.localdate(),
    ).values("file_id")


def file_q(user: User) -> Q:
    """The files a user's unit reaches (see the module docstring)."""
    scope: Scope = user.scope
    if scope.county:
        return Q()
    orgs = scope.org_ids
    condition = Q(worker=user)
    kind = user.organisation.kind
    if kind in SCHOOL_SIDE_KINDS:
        return condition | Q(school__in=orgs)
    if kind in RESIDENT_KINDS and scope.division_prefix:
        condition |= Q(division__code__startswith=scope.division_prefix)
    condition |= Q(unit__in=orgs) | Q(
        pk__in=FileReferral.objects.filter(unit__in=orgs).values("file_id")
    )
    if kind in POLICE_KINDS or kind not in RESIDENT_KINDS:
        condition |= Q(
            pk__in=Involvement.objects.filter(
                Q(event__reporting_unit__in=orgs) | Q(event__shared_with__in=orgs)
            ).values("file_id")
        ) | Q(pk__in=Measure.objects.filter(issuing_unit__in=orgs).values("file_id"))
    return condition


class AtRiskFileQuerySet(models.QuerySet["AtRiskFile"]):
    def for_user(self, user: User) -> AtRiskFileQuerySet:
        if not _sees(user):
            return self.none()
        return self.filter(file_q(user))

    def open(self) -> AtRiskFileQuerySet:
        return self.filter(closed_at__isnull=True)

    def overdue(self, on: date | None = None) -> AtRiskFileQuerySet:
        """Files with a scheduled contact past its due date."""
        day = on or timezone.localdate()
        return self.filter(
            pk__in=Contact.objects.filter(done_at__isnull=True, due_date__lt=day).values("file_id")
        )


class AtRiskFile(models.Model):
    """A minor's at-risk file. The grade and score are derived by the services, never typed."""

    class ClosedReason(models.TextChoices):
        IMPROVED = "improved", _("improved")
        TURNED_18 = "turned_18", _("turned 18")
        MOVED_AWAY = "moved_away", _("moved away")
        TRANSFERRED = "transferred", _("transferred")

    person = models.ForeignKey(
        Person, verbose_name=_("minor"), on_delete=models.PROTECT, related_name="atrisk_files"
    )
    opened_at = models.DateField(_("opened on"), default=timezone.localdate)
    opened_by = models.ForeignKey(
        User, verbose_name=_("opened by"), null=True, on_delete=models.SET_NULL, related_name="+"
    )
    unit = models.ForeignKey(
        Organisation,
        verbose_name=_("responsible unit"),
        on_delete=models.PROTECT,
        related_name="atrisk_files",
    )
    worker = models.ForeignKey(
        User,
        verbose_name=_("responsible worker"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="atrisk_caseload",
    )
    # Copied from the person (and kept in step by the services) so that lists filter cheaply.
    school = models.ForeignKey(
        Organisation,
        verbose_name=_("school"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="atrisk_pupil_files",
    )
    division = models.ForeignKey(
        Division,
        verbose_name=_("place of residence"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    township = models.ForeignKey(
        Division,
        verbose_name=_("township"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="atrisk_files",
    )
    grade = models.CharField(
        pgettext_lazy("risk", "grade"),
        max_length=4,
        choices=Grade.choices,
        default=Grade.WATCH,
        editable=False,
    )
    grade_rule = models.CharField(_("grading rule"), max_length=60, blank=True, editable=False)
    # The reason as a message id and its values, translated when shown (grade_reason_text).
    grade_reason = models.CharField(_("why this grade"), max_length=300, blank=True, editable=False)
    grade_reason_args = models.JSONField(default=dict, blank=True, editable=False)
    grade_changed_at = models.DateTimeField(_("grade changed at"), null=True, editable=False)
    # The grade including sealed records: shown only to holders of an approved application.
    sealed_grade = models.CharField(
        _("grade with sealed records"),
        max_length=4,
        choices=Grade.choices,
        default=Grade.WATCH,
        editable=False,
    )
    ruleset_version = models.PositiveIntegerField(_("rules version"), default=1, editable=False)
    score = models.FloatField(_("risk score"), default=0, editable=False, db_index=True)
    score_parts = models.JSONField(_("score parts"), default=list, blank=True, editable=False)
    score_at = models.DateTimeField(_("score computed at"), null=True, editable=False)
    closed_at = models.DateField(_("closed on"), null=True, blank=True)
    closed_reason = models.CharField(
        _("reason for closing"), max_length=20, choices=ClosedReason.choices, blank=True
    )
    closed_note = models.CharField(_("closing note"), max_length=300, blank=True)

    objects = AtRiskFileQuerySet.as_manager()

    class Meta:
        verbose_name = _("at-risk file")
        verbose_name_plural = _("at-risk files")
        ordering = ["-score", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["person"], condition=Q(closed_at__isnull=True), name="atrisk_one_open_file"
            ),
            models.CheckConstraint(
                condition=Q(closed_at__isnull=True) | ~Q(closed_reason=""),
                name="atrisk_closed_has_reason",
            ),
        ]
        indexes = [
            models.Index(fields=["grade", "closed_at"], name="atrisk_grade_idx"),
            models.Index(fields=["school", "closed_at"], name="atrisk_school_idx"),
        ]

    def __str__(self) -> str:
        return _("at-risk file %(n)s") % {"n": self.pk}

    def get_absolute_url(self) -> str:
        return reverse("atrisk:detail", args=[self.pk])

    @property
    def grade_reason_text(self) -> str:
        """Why this grade, in the reader's language."""
        if not self.grade_reason:
            return ""
        args = dict(self.grade_reason_args)
        if isinstance(args.get("factors"), str):  # stored as codes; shown as their labels
            labels = dict(RiskFactor.Kind.choices)
            codes = [code.strip() for code in args["factors"].split(",") if code.strip()]
            args["factors"] = pgettext("list separator", ", ").join(
                str(labels.get(code, code)) for code in codes
            )
        return reason_text(self.grade_reason, args)

    @property
    def is_open(self) -> bool:
        return self.closed_at is None

    @property
    def grade_rank(self) -> int:
        from weibao.atrisk.grading import RANK

        return RANK[self.grade]


class FileReferral(models.Model):
    """A file handed to another unit (the police, the women's federation...), which then sees it."""

    file = models.ForeignKey(
        AtRiskFile, verbose_name=_("file"), on_delete=models.CASCADE, related_name="referrals"
    )
    unit = models.ForeignKey(
        Organisation, verbose_name=_("unit"), on_delete=models.PROTECT, related_name="+"
    )
    referred_by = models.ForeignKey(
        User, verbose_name=_("referred by"), null=True, on_delete=models.SET_NULL, related_name="+"
    )
    referred_at = models.DateTimeField(_("referred at"), default=timezone.now)
    note = models.CharField(_("note"), max_length=300, blank=True)

    class Meta:
        verbose_name = _("referral")
        verbose_name_plural = _("referrals")
        constraints = [
            models.UniqueConstraint(fields=["file", "unit"], name="atrisk_referral_unique")
        ]

    def __str__(self) -> str:
        return f"{self.file_id} → {self.unit}"


# Applications to read sealed records ------------------------------------------------------------


class SealedQueryApplicationQuerySet(models.QuerySet["SealedQueryApplication"]):
    def for_user(self, user: User) -> SealedQueryApplicationQuerySet:
        """Applicants see their own; county coordinators decide and see them all."""
        if not _sees(user):
            return self.none()
        if is_county_coordinator(user):
            return self.all()
        return self.filter(applicant=user)

    def pending(self) -> SealedQueryApplicationQuerySet:
        return self.filter(decision=SealedQueryApplication.Decision.PENDING)


class SealedQueryApplication(models.Model):
    """A written application to read a file's sealed records (刑诉规则 Art. 484; 解释 Art. 581)."""

    class Decision(models.TextChoices):
        PENDING = "pending", _("pending")
        APPROVED = "approved", _("approved")
        REFUSED = "refused", _("refused")

    file = models.ForeignKey(
        AtRiskFile,
        verbose_name=_("file"),
        on_delete=models.CASCADE,
        related_name="sealed_applications",
    )
    applicant = models.ForeignKey(
        User, verbose_name=_("applicant"), on_delete=models.PROTECT, related_name="+"
    )
    legal_basis = models.CharField(_("legal basis"), max_length=300)
    purpose = models.CharField(_("purpose"), max_length=300)
    applied_at = models.DateTimeField(_("applied at"), default=timezone.now)
    decision = models.CharField(
        _("decision"), max_length=10, choices=Decision.choices, default=Decision.PENDING
    )
    approver = models.ForeignKey(
        User,
        verbose_name=_("approver"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)
    decision_note = models.CharField(_("decision note"), max_length=300, blank=True)
    expires_on = models.DateField(_("expires on"), null=True, blank=True)

    objects = SealedQueryApplicationQuerySet.as_manager()

    class Meta:
        verbose_name = _("sealed-record query application")
        verbose_name_plural = _("sealed-record query applications")
        ordering = ["-applied_at"]
        constraints = [
            models.CheckConstraint(
                condition=~Q(decision="approved") | Q(expires_on__isnull=False),
                name="atrisk_approval_expires",
            )
        ]

    def __str__(self) -> str:
        return f"{self.file_id} · {self.applicant} · {self.get_decision_display()}"

    @property
    def is_active(self) -> bool:
        return bool(
            self.decision == self.Decision.APPROVED
            and self.expires_on
            and self.expires_on >= timezone.localdate()
        )


def unsealed_q(user: User, file_path: str) -> Q:
    """Unsealed records, or sealed ones of a file the user holds an approved application for."""
    return Q(sealed=False) | Q(**{f"{file_path}__in": application_file_ids(user)})


# Misconduct events ----------------------------------------------------------------------------


class MisconductEventQuerySet(models.QuerySet["MisconductEvent"]):
    def for_user(self, user: User) -> MisconductEventQuerySet:
        if not _sees(user):
            return self.none()
        covered = Involvement.objects.filter(file__in=application_file_ids(user)).values("event_id")
        events = self.filter(Q(sealed=False) | Q(pk__in=covered))
        scope = user.scope
        if scope.county:
            return events
        orgs = scope.org_ids
        own = Q(reporting_unit__in=orgs) | Q(
            pk__in=MisconductEvent.shared_with.through.objects.filter(organisation__in=orgs).values(
                "misconductevent_id"
            )
        )
        if is_school_side(user):
            return events.filter(own)
        files = AtRiskFile.objects.for_user(user).values("pk")
        return events.filter(
            own | Q(pk__in=Involvement.objects.filter(file__in=files).values("event_id"))
        )


class MisconductEvent(models.Model):
    """Something a minor (or a group of minors) did, as reported by a unit."""

    occurred_on = models.DateField(_("date"))
    place = models.CharField(_("place"), max_length=200, blank=True)
    description = models.TextField(_("description"), blank=True, max_length=5000)
    reporting_unit = models.ForeignKey(
        Organisation,
        verbose_name=_("reporting unit"),
        on_delete=models.PROTECT,
        related_name="reported_misconduct",
    )
    recorded_by = models.ForeignKey(
        User, verbose_name=_("recorded by"), null=True, on_delete=models.SET_NULL, related_name="+"
    )
    recorded_at = models.DateTimeField(_("recorded at"), default=timezone.now)
    behaviours = models.ManyToManyField(
        Behaviour, verbose_name=_("behaviour codes"), related_name="events"
    )
    files = models.ManyToManyField(
        AtRiskFile, verbose_name=_("minors"), through="Involvement", related_name="events"
    )
    repeated = models.BooleanField(_("repeated"), default=False, help_text=_("Art. 44(2)"))
    refuses_correction = models.BooleanField(
        _("refuses to correct"), default=False, help_text=_("Art. 44(3)")
    )
    grave = models.BooleanField(
        _("egregious or grave consequences"), default=False, help_text=_("Art. 44(1)")
    )
    crime_class = models.CharField(
        _("kind of crime (SB00 only)"),
        max_length=10,
        choices=CrimeClass.choices,
        default=CrimeClass.OTHER,
    )
    is_group = models.BooleanField(_("group event"), default=False)
    shared_with = models.ManyToManyField(
        Organisation, verbose_name=_("shared with"), blank=True, related_name="shared_misconduct"
    )
    sealed = models.BooleanField(_("sealed"), default=False)

    objects = MisconductEventQuerySet.as_manager()

    class Meta:
        verbose_name = _("misconduct event")
        verbose_name_plural = _("misconduct events")
        ordering = ["-occurred_on", "-id"]

    def __str__(self) -> str:
        return f"{self.occurred_on:%Y-%m-%d} #{self.pk}"


class Involvement(models.Model):
    """A minor's part in an event; several minors in one event make a group."""

    event = models.ForeignKey(MisconductEvent, on_delete=models.CASCADE, related_name="involved")
    file = models.ForeignKey(AtRiskFile, on_delete=models.CASCADE, related_name="involvements")

    class Meta:
        verbose_name = _("involvement")
        verbose_name_plural = _("involvements")
        constraints = [
            models.UniqueConstraint(fields=["event", "file"], name="atrisk_involvement_unique")
        ]

    def __str__(self) -> str:
        return f"{self.event_id}:{self.file_id}"


# Risk factors ----------------------------------------------------------------------------------


class RiskFactorQuerySet(models.QuerySet["RiskFactor"]):
    def for_user(self, user: User) -> RiskFactorQuerySet:
        return self.filter(file__in=AtRiskFile.objects.for_user(user).values("pk"))

    def current(self) -> RiskFactorQuerySet:
        return self.filter(ended_on__isnull=True)


class RiskFactor(models.Model):
    """A circumstance that is not misconduct but puts the minor at risk (grade T0 on its own)."""

    class Kind(models.TextChoices):
        LEFT_BEHIND = "left_behind", _("left behind")
        GUARDIANSHIP = "guardianship", _("guardianship lacking")
        HARDSHIP = "hardship", _("in hardship")
        DROPPING_OUT = "dropping_out", _("dropping out")
        ABSENCE = "absence", _("often absent from school")
        VICTIM = "victim", _("victim of harm")

    file = models.ForeignKey(
        AtRiskFile, verbose_name=_("file"), on_delete=models.CASCADE, related_name="risk_factors"
    )
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    from_register = models.BooleanField(_("from the people register"), default=False)
    noted_on = models.DateField(_("noted on"), default=timezone.localdate)
    ended_on = models.DateField(_("ended on"), null=True, blank=True)
    notes = models.CharField(_("notes"), max_length=300, blank=True)
    recorded_by = models.ForeignKey(
        User, verbose_name=_("recorded by"), null=True, on_delete=models.SET_NULL, related_name="+"
    )

    objects = RiskFactorQuerySet.as_manager()

    class Meta:
        verbose_name = _("risk factor")
        verbose_name_plural = _("risk factors")
        ordering = ["kind"]
        constraints = [
            models.UniqueConstraint(
                fields=["file", "kind"],
                condition=Q(ended_on__isnull=True),
                name="atrisk_factor_current_unique",
            )
        ]

    def __str__(self) -> str:
        return self.get_kind_display()


# Measures --------------------------------------------------------------------------------------


class MeasureQuerySet(models.QuerySet["Measure"]):
    def for_user(self, user: User) -> MeasureQuerySet:
        if not _sees(user):
            return self.none()
        measures = self.filter(
            unsealed_q(user, "file"), file__in=AtRiskFile.objects.for_user(user).values("pk")
        )
        if is_school_side(user):
            measures = measures.exclude(category__in=Measure.HIDDEN_FROM_SCHOOLS)
        return measures


class Measure(models.Model):
    """A measure taken by a unit the law names: school, police, special education, orders..."""

    class Category(models.TextChoices):
        SCHOOL = "school", _("school measure (Art. 31)")
        POLICE = "police", _("police correctional education (Art. 41)")
        SPECIAL_EDUCATION = "special_education", _("special education (Art. 43-45)")
        GUARDIAN_ORDER = "guardian_order", _("order to guardians")
        PROSECUTION = "prosecution", _("prosecution and court")

    class Kind(models.TextChoices):
        SM01 = "SM01", _("SM01 admonish")
        SM02 = "SM02", _("SM02 specific conduct rules")
        SM03 = "SM03", _("SM03 special-topic education")
        SM04 = "SM04", _("SM04 in-school service")
        SM05 = "SM05", _("SM05 counselling or behavioural intervention")
        SM06 = "SM06", _("SM06 other school measure")
        PM01 = "PM01", _("PM01 formal admonition")
        PM02 = "PM02", _("PM02 apology and compensation")
        PM03 = "PM03", _("PM03 written pledge")
        PM04 = "PM04", _("PM04 periodic reporting")
        PM05 = "PM05", _("PM05 conduct order, contact or venue ban")
        PM06 = "PM06", _("PM06 counselling, behavioural correction")
        PM07 = "PM07", _("PM07 community service")
        PM08 = "PM08", _("PM08 social supervision")
        PM09 = "PM09", _("PM09 other correctional education")
        SE_ASSESSMENT = "se_assessment", _("special-education committee assessment")
        SE_DECISION = "se_decision", _("special-education decision")
        SE_CORRECTIONAL = "se_correctional", _("special correctional education (Art. 45)")
        ADMONITION = "admonition", _("admonition of guardians (训诫)")
        GUIDANCE_ORDER = "guidance_order", _("order to accept family-education guidance")
        URGING_ORDER = "urging_order", _("order urging guardianship (督促监护令)")
        NON_PROSECUTION = "non_prosecution", _("non-prosecution")
        CONDITIONAL = "conditional_non_prosecution", _("conditional non-prosecution")
        CRIMINAL_CASE = "criminal_case", _("criminal case opened")

    kind = models.CharField(_("measure"), max_length=30, choices=Kind.choices)
    category = models.CharField(
        _("category"), max_length=20, choices=Category.choices, editable=False
    )
    file = models.ForeignKey(
        AtRiskFile, verbose_name=_("file"), on_delete=models.CASCADE, related_name="measures"
    )
    event = models.ForeignKey(
        MisconductEvent,
        verbose_name=_("event"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="measures",
    )
    issuing_unit = models.ForeignKey(
        Organisation, verbose_name=_("issuing unit"), on_delete=models.PROTECT, related_name="+"
    )
    decided_on = models.DateField(_("date"))
    notes = models.TextField(_("notes"), blank=True, max_length=5000)
    sealed = models.BooleanField(_("sealed"), default=False)
    recorded_by = models.ForeignKey(
        User, verbose_name=_("recorded by"), null=True, on_delete=models.SET_NULL, related_name="+"
    )
    recorded_at = models.DateTimeField(_("recorded at"), default=timezone.now)

    # Categories schools never see (the issue: "never police or court measures").
    HIDDEN_FROM_SCHOOLS = frozenset(
        {Category.POLICE, Category.GUARDIAN_ORDER, Category.PROSECUTION}
    )
    # Records sealed by law as soon as they exist (预防法 Art. 59; 刑诉规则 Art. 486).
    SEALED_BY_LAW = frozenset(
        {
            Kind.SE_CORRECTIONAL,
            Kind.SE_DECISION,
            Kind.NON_PROSECUTION,
            Kind.CONDITIONAL,
            Kind.CRIMINAL_CASE,
        }
    )

    objects = MeasureQuerySet.as_manager()

    class Meta:
        verbose_name = _("measure")
        verbose_name_plural = _("measures")
        ordering = ["-decided_on", "-id"]

    def __str__(self) -> str:
        return self.get_kind_display()

    def save(self, *args: object, **kwargs: object) -> None:
        self.category = category_of(self.kind)
        super().save(*args, **kwargs)  # type: ignore[arg-type]


def category_of(kind: str) -> str:
    C = Measure.Category
    if kind.startswith("SM"):
        return C.SCHOOL
    if kind.startswith("PM"):
        return C.POLICE
    if kind.startswith("se_"):
        return C.SPECIAL_EDUCATION
    if kind in ("admonition", "guidance_order", "urging_order"):
        return C.GUARDIAN_ORDER
    return C.PROSECUTION


# Plans, contacts, reviews ----------------------------------------------------------------------


class InterventionPlan(models.Model):
    """The plan for a minor above watch: goals, who is responsible, helpers, contact rhythm."""

    file = models.OneToOneField(
        AtRiskFile, verbose_name=_("file"), on_delete=models.CASCADE, related_name="plan"
    )
    goals = models.TextField(_("goals"), blank=True, max_length=5000)
    worker = models.ForeignKey(
        User,
        verbose_name=_("responsible worker"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    unit = models.ForeignKey(
        Organisation, verbose_name=_("responsible unit"), on_delete=models.PROTECT, related_name="+"
    )
    helpers = models.TextField(
        _("helpers"),
        max_length=2000,
        blank=True,
        help_text=_(
            "School, village children's director, social worker, volunteer, legal vice-principal..."
        ),
    )
    helper_users = models.ManyToManyField(User, verbose_name=_("helpers (users)"), blank=True)
    contact_days = models.PositiveSmallIntegerField(_("days between contacts"), default=30)
    next_review_on = models.DateField(_("next termly review"), null=True, blank=True)
    created_at = models.DateTimeField(_("created at"), default=timezone.now)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        verbose_name = _("intervention plan")
        verbose_name_plural = _("intervention plans")

    def __str__(self) -> str:
        return _("plan for file %(n)s") % {"n": self.file_id}


class ContactQuerySet(models.QuerySet["Contact"]):
    def for_user(self, user: User) -> ContactQuerySet:
        return self.filter(file__in=AtRiskFile.objects.for_user(user).values("pk"))

    def due(self) -> ContactQuerySet:
        return self.filter(done_at__isnull=True)

    def overdue(self, on: date | None = None) -> ContactQuerySet:
        return self.filter(done_at__isnull=True, due_date__lt=on or timezone.localdate())


class Contact(models.Model):
    """A scheduled contact (due date) and, once made, its record."""

    class Kind(models.TextChoices):
        VISIT = "visit", _("home visit")
        TALK = "talk", _("talk")
        COUNSELLING = "counselling", _("counselling")

    file = models.ForeignKey(
        AtRiskFile, verbose_name=_("file"), on_delete=models.CASCADE, related_name="contacts"
    )
    worker = models.ForeignKey(
        User,
        verbose_name=_("worker"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="atrisk_contacts",
    )
    due_date = models.DateField(pgettext_lazy("visit", "due"))
    done_at = models.DateTimeField(_("done at"), null=True, blank=True)
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices, blank=True)
    notes = models.TextField(_("notes"), blank=True, max_length=5000)
    done_by = models.ForeignKey(
        User,
        verbose_name=_("done by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    objects = ContactQuerySet.as_manager()

    class Meta:
        verbose_name = _("contact")
        verbose_name_plural = _("contacts")
        ordering = ["due_date", "id"]
        indexes = [models.Index(fields=["done_at", "due_date"], name="atrisk_contact_due_idx")]

    def __str__(self) -> str:
        return f"{self.due_date:%Y-%m-%d}"

    @property
    def is_overdue(self) -> bool:
        return self.done_at is None and self.due_date < timezone.localdate()


class Review(models.Model):
    """A termly review of the plan (how the minor is doing, whether to continue)."""

    file = models.ForeignKey(
        AtRiskFile, verbose_name=_("file"), on_delete=models.CASCADE, related_name="reviews"
    )
    reviewed_on = models.DateField(_("reviewed on"), default=timezone.localdate)
    summary = models.TextField(_("summary"), max_length=5000)
    reviewer = models.ForeignKey(
        User, verbose_name=_("reviewer"), null=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        verbose_name = _("review")
        verbose_name_plural = _("reviews")
        ordering = ["-reviewed_on", "-id"]

    def __str__(self) -> str:
        return f"{self.reviewed_on:%Y-%m-%d}"


# Warnings --------------------------------------------------------------------------------------


class RiskWarningQuerySet(models.QuerySet["RiskWarning"]):
    def for_user(self, user: User) -> RiskWarningQuerySet:
        return self.filter(file__in=AtRiskFile.objects.for_user(user).values("pk"))

    def open(self) -> RiskWarningQuerySet:
        return self.filter(resolved_at__isnull=True)


class RiskWarning(models.Model):
    """An early warning for the responsible worker (and the coordinator's list)."""

    class Kind(models.TextChoices):
        GRADE_UP = "grade_up", _("moved up a grade")
        SCORE = "score", _("risk score above the threshold")
        OVERDUE = "overdue", _("contact overdue")
        RETURNED = "returned", _("new event after a recent closure")

    file = models.ForeignKey(
        AtRiskFile, verbose_name=_("file"), on_delete=models.CASCADE, related_name="warnings"
    )
    kind = models.CharField(_("kind"), max_length=12, choices=Kind.choices)
    key = models.CharField(max_length=60, blank=True, help_text="makes nightly runs idempotent")
    # The detail as a message id and its values, translated when shown (detail_text), so a
    # warning raised by the nightly job reads in each reader's language.
    detail = models.CharField(_("detail"), max_length=300, blank=True)
    detail_args = models.JSONField(default=dict, blank=True)
    created_at = models.DateTimeField(_("raised at"), default=timezone.now)
    resolved_at = models.DateTimeField(_("resolved at"), null=True, blank=True)
    resolved_by = models.ForeignKey(
        User,
        verbose_name=_("resolved by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    objects = RiskWarningQuerySet.as_manager()

    class Meta:
        verbose_name = _("warning")
        verbose_name_plural = _("warnings")
        ordering = ["-created_at", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["file", "kind", "key"], name="atrisk_warning_unique")
        ]

    def __str__(self) -> str:
        return self.get_kind_display()

    def detail_text(self) -> str:
        """The detail in the reader's language, grades by their names."""
        args = dict(self.detail_args)
        for key in ("old", "new"):
            if args.get(key) in Grade.values:
                args[key] = str(Grade(args[key]).label)
        return reason_text(self.detail, args) if self.detail else ""
