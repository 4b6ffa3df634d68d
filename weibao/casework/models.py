"""Linked casework: mandatory reports, referrals, supervision, suggestions, orders to guardians.

Access is enforced in the `for_user` QuerySets (lists, pages, API and exports apply one rule):

- a report (`Case`) is seen by the unit that filed it, the police unit it was routed (or
  transferred) to and the units above it, the procuratorate, and the county coordinator;
- what each of them sees *inside* a report is decided by the policy predicates
  (`weibao.casework.policy`): the reporter's identity only by the receiving police and the
  procuratorate, the investigation only by them, the reporting unit only its report and the outcome;
- a referral is seen by the unit that sent it, the unit it went to, and those who see its case; the
  receiving unit sees the referral's own summary and nothing more of the case or file;
- procuratorial suggestions are seen by the procuratorate and the unit they are addressed to;
- orders to guardians by the issuing unit and the procuratorate; supervision by the procuratorate.
"""

from __future__ import annotations

from datetime import date, datetime, timedelta

from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from weibao.accounts.models import Division, Organisation, User
from weibao.accounts.policy import in_procuratorate, is_county_coordinator, works_with_data
from weibao.atrisk.models import AtRiskFile
from weibao.kit.messages import render
from weibao.people.models import Person

K = Organisation.Kind
# The units that issue orders to guardians: the police, the procuratorate and the court.
ORDER_ISSUER_KINDS = frozenset({*Organisation.POLICE_KINDS, K.PROCURATORATE, K.COURT})
# Who sees every record of linked casework: the county coordinator and the procuratorate, which
# supervises the whole of it. Here, not in policy.py, because the for_user QuerySets need it.
sees_all_casework = is_county_coordinator | in_procuratorate


def _orgs(user: User) -> frozenset[int]:
    return user.scope.org_ids


# Settings ----------------------------------------------------------------------------------------


class CaseworkSettings(models.Model):
    """The county's time limits (one row). Defaults from the reference, §3 and the issue."""

    accept_hours = models.PositiveSmallIntegerField(
        _("hours for the police to accept a report"), default=24
    )
    urgent_accept_hours = models.PositiveSmallIntegerField(
        _("hours to accept an urgent report"), default=2
    )
    feedback_days = models.PositiveSmallIntegerField(
        _("days from acceptance to feedback to the reporter"), default=3
    )
    referral_days = models.PositiveSmallIntegerField(
        _("default days to complete a referral"), default=15
    )
    suggestion_reply_months = models.PositiveSmallIntegerField(
        _("months for a reply to a procuratorial suggestion"), default=2
    )
    followup_days = models.PositiveSmallIntegerField(
        _("days between follow-up visits on an order"), default=30
    )
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    FIELDS = (
        "accept_hours",
        "urgent_accept_hours",
        "feedback_days",
        "referral_days",
        "suggestion_reply_months",
        "followup_days",
    )

    class Meta:
        verbose_name = _("casework time limits")
        verbose_name_plural = _("casework time limits")

    def __str__(self) -> str:
        return str(_("casework time limits"))

    @classmethod
    def current(cls) -> CaseworkSettings:
        return cls.objects.get_or_create(pk=1)[0]


# Mandatory reports -------------------------------------------------------------------------------


class Situation(models.TextChoices):
    """The nine situations that must be reported (强制报告意见 Art. 4)."""

    MR01 = "MR01", _("MR01 abnormal injury to genitals or private parts")
    MR02 = "MR02", _("MR02 girl under 14: sexual harm, pregnancy or abortion")
    MR03 = "MR03", _("MR03 girl 14 or over: pregnancy or abortion caused by sexual harm")
    MR04 = "MR04", _("MR04 multiple injuries, malnutrition or impaired consciousness")
    MR05 = "MR05", _("MR05 disability or death from an abnormal cause")
    MR06 = "MR06", _("MR06 abandoned or long left without care")
    MR07 = "MR07", _("MR07 unknown origin, missing, trafficked or bought")
    MR08 = "MR08", _("MR08 organised begging")
    MR09 = "MR09", _("MR09 other serious harm or imminent danger")


URGENT_SITUATIONS = frozenset({Situation.MR02})


class CaseQuerySet(models.QuerySet["Case"]):
    def for_user(self, user: User) -> CaseQuerySet:
        """Reports the user's unit filed, received, or supervises (see the module docstring)."""
        if not works_with_data(user):
            return self.none()
        if sees_all_casework(user):
            return self.all()
        orgs = _orgs(user)
        return self.filter(
            Q(reporting_unit__in=orgs) | Q(police_unit__in=orgs) | Q(transferred_to__in=orgs)
        )

    def about(self, person: Person) -> CaseQuerySet:
        """Reports about this minor (for the minor's file: chain after for_user)."""
        return self.filter(child=person)

    def awaiting_acceptance(self) -> CaseQuerySet:
        return self.filter(status=Case.Status.FILED)

    def feedback_pending(self) -> CaseQuerySet:
        return self.filter(accepted_at__isnull=False, feedback_at__isnull=True)

    def accept_overdue(self, now: datetime | None = None) -> CaseQuerySet:
        return self.awaiting_acceptance().filter(accept_due_at__lt=now or timezone.now())

    def feedback_overdue(self, on: date | None = None) -> CaseQuerySet:
        return self.feedback_pending().filter(feedback_due__lt=on or timezone.localdate())

    def handled_by(self, user: User) -> CaseQuerySet:
        orgs = _orgs(user)
        return self.filter(
            Q(police_unit__in=orgs, transferred_to__isnull=True) | Q(transferred_to__in=orgs)
        )


class Case(models.Model):
    """A mandatory report (强制报告) and what the police did with it."""

    class Status(models.TextChoices):
        FILED = "filed", _("filed, waiting for the police")
        ACCEPTED = "accepted", _("accepted by the police")
        DECIDED = "decided", _("decided")
        CLOSED = "closed", _("closed")

    class Decision(models.TextChoices):
        CRIMINAL = "criminal", _("criminal case opened")
        PUBLIC_ORDER = "public_order", _("public-order case")
        NO_CASE = "no_case", _("no case (with reasons)")
        TRANSFERRED = "transferred", _("transferred")

    reporting_unit = models.ForeignKey(
        Organisation, verbose_name=_("reporting unit"), on_delete=models.PROTECT, related_name="+"
    )
    filed_by = models.ForeignKey(
        User,
        verbose_name=_("filed by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    filed_at = models.DateTimeField(_("filed at"), default=timezone.now, db_index=True)
    # The reporter: confidential (强制报告意见; shown only by policy.may_see_reporter).
    reporter_name = models.CharField(_("reporter's name"), max_length=50)
    reporter_phone = models.CharField(_("reporter's phone"), max_length=20, blank=True)
    reporter_position = models.CharField(_("reporter's position"), max_length=50, blank=True)
    child = models.ForeignKey(
        Person,
        verbose_name=_("child"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="casework_cases",
    )
    child_description = models.TextField(
        _("child's description"),
        max_length=2000,
        blank=True,
        help_text=_("When the identity is unknown: apparent age, sex, appearance, clothing."),
    )
    situations = models.JSONField(_("situations"), default=list)
    seen = models.TextField(_("what was seen"), max_length=10000)
    occurred_at = models.DateTimeField(_("when"), null=True, blank=True)
    place = models.CharField(_("where"), max_length=200)
    division = models.ForeignKey(
        Division,
        verbose_name=_("division of the place"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    suspect = models.CharField(_("suspected perpetrator"), max_length=200, blank=True)
    urgent = models.BooleanField(_("urgent"), default=False, db_index=True)
    police_unit = models.ForeignKey(
        Organisation,
        verbose_name=_("receiving police unit"),
        null=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    procuratorate = models.ForeignKey(
        Organisation,
        verbose_name=_("procuratorate"),
        null=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    status = models.CharField(
        _("status"), max_length=12, choices=Status.choices, default=Status.FILED, db_index=True
    )
    accept_due_at = models.DateTimeField(_("acceptance due"), null=True)
    accepted_at = models.DateTimeField(_("accepted at"), null=True, blank=True)
    accepted_by = models.ForeignKey(
        User,
        verbose_name=_("accepted by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    feedback_due = models.DateField(_("feedback due"), null=True, blank=True)
    decision = models.CharField(_("decision"), max_length=15, choices=Decision.choices, blank=True)
    decision_reasons = models.TextField(_("reasons"), blank=True, max_length=5000)
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)
    transferred_to = models.ForeignKey(
        Organisation,
        verbose_name=_("transferred to"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    investigation_notes = models.TextField(_("investigation notes"), blank=True, max_length=20000)
    feedback = models.TextField(_("feedback to the reporting unit"), blank=True, max_length=5000)
    feedback_at = models.DateTimeField(_("feedback given at"), null=True, blank=True)
    idempotency_key = models.CharField(_("idempotency key"), max_length=100, blank=True)

    objects = CaseQuerySet.as_manager()

    class Meta:
        verbose_name = _("mandatory report")
        verbose_name_plural = _("mandatory reports")
        ordering = ["-urgent", "-filed_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["reporting_unit", "idempotency_key"],
                condition=~Q(idempotency_key=""),
                name="casework_case_idempotency_unique",
            ),
            models.CheckConstraint(
                condition=~Q(child__isnull=True, child_description=""),
                name="casework_case_child_or_description",
            ),
        ]
        indexes = [models.Index(fields=["police_unit", "status"], name="casework_police_idx")]

    def __str__(self) -> str:
        return self.reference

    def get_absolute_url(self) -> str:
        return reverse("casework:case_detail", args=[self.pk])

    @property
    def reference(self) -> str:
        """强报 + filing date + number: what units quote on the phone (no child's details)."""
        day = timezone.localtime(self.filed_at).date() if self.filed_at else timezone.localdate()
        return f"强报{day:%Y%m%d}-{self.pk or 0:05d}"

    @property
    def situation_labels(self) -> list[str]:
        labels = dict(Situation.choices)
        return [str(labels.get(code, code)) for code in self.situations]

    @property
    def child_label(self) -> str:
        """The child as lists show them: masked name, or "identity unknown"."""
        if self.child is not None:
            return self.child.masked_name
        return str(_("identity unknown"))

    @property
    def accept_overdue(self) -> bool:
        return bool(
            self.status == self.Status.FILED
            and self.accept_due_at is not None
            and self.accept_due_at < timezone.now()
        )

    @property
    def feedback_overdue(self) -> bool:
        return bool(
            self.accepted_at is not None
            and self.feedback_at is None
            and self.feedback_due is not None
            and self.feedback_due < timezone.localdate()
        )

    @property
    def handler_unit_id(self) -> int | None:
        return self.transferred_to_id or self.police_unit_id


class LateReport(models.Model):
    """A unit that knew of the harm and reported late or not at all (Art. 117 accountability)."""

    case = models.ForeignKey(
        Case,
        verbose_name=pgettext_lazy("mandatory report", "report"),
        on_delete=models.CASCADE,
        related_name="late_reports",
    )
    unit = models.ForeignKey(
        Organisation, verbose_name=_("unit"), on_delete=models.PROTECT, related_name="+"
    )
    knew_since = models.DateField(_("knew since"), null=True, blank=True)
    reported = models.BooleanField(_("reported, but late"), default=False)
    note = models.TextField(_("note"), max_length=5000)
    recorded_by = models.ForeignKey(
        User,
        verbose_name=_("recorded by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    recorded_at = models.DateTimeField(_("recorded at"), default=timezone.now)

    class Meta:
        verbose_name = _("late or missing report")
        verbose_name_plural = _("late or missing reports")
        ordering = ["-recorded_at"]

    def __str__(self) -> str:
        return f"{self.unit} ({self.case})"


# Referrals ---------------------------------------------------------------------------------------


class ReferralQuerySet(models.QuerySet["Referral"]):
    def for_user(self, user: User) -> ReferralQuerySet:
        if not works_with_data(user):
            return self.none()
        if sees_all_casework(user):
            return self.all()
        orgs = _orgs(user)
        return self.filter(Q(from_unit__in=orgs) | Q(to_unit__in=orgs))

    def open(self) -> ReferralQuerySet:
        return self.filter(status__in=Referral.OPEN)

    def overdue(self, on: date | None = None) -> ReferralQuerySet:
        return self.open().filter(due_date__lt=on or timezone.localdate())


# Units a case is referred to: every kind that protects children; not the businesses that must
# report harm but take no part in helping (hotels, off-campus training institutions).
REFERRAL_UNIT_KINDS = frozenset(Organisation.Kind) - {
    Organisation.Kind.HOTEL,
    Organisation.Kind.TRAINING,
}


class Referral(models.Model):
    """A request from one unit to another to act on a report, an at-risk file, or a child's
    need found in their care (a home visit: weibao.care)."""

    class Action(models.TextChoices):
        INVESTIGATE = "investigate", _("investigate")
        RELIEF = "relief", _("care or relief")
        PSYCHOLOGICAL = "psychological", _("psychological support")
        LEGAL_AID = "legal_aid", _("legal aid")
        SCHOOL_REENTRY = "school_reentry", _("school re-entry")
        GUARDIANSHIP_CHECK = "guardianship_check", _("guardianship check")
        FAMILY_GUIDANCE = "family_guidance", _("family-education guidance")
        OTHER = "other", _("other")

    class Status(models.TextChoices):
        REQUESTED = "requested", _("requested")
        ACCEPTED = "accepted", _("accepted")
        DECLINED = "declined", _("declined")
        CLOSED = "closed", _("done and closed")

    OPEN = (Status.REQUESTED, Status.ACCEPTED)

    case = models.ForeignKey(
        Case,
        verbose_name=pgettext_lazy("mandatory report", "report"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="referrals",
    )
    atrisk_file = models.ForeignKey(
        AtRiskFile,
        verbose_name=_("at-risk file"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="casework_referrals",
    )
    child = models.ForeignKey(
        Person,
        verbose_name=_("child"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="casework_referrals",
        help_text=_("A child's need found in their care, without a report or file."),
    )
    from_unit = models.ForeignKey(
        Organisation,
        verbose_name=pgettext_lazy("referral", "from"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    to_unit = models.ForeignKey(
        Organisation,
        verbose_name=pgettext_lazy("referral", "to"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    action = models.CharField(_("action"), max_length=20, choices=Action.choices)
    request = models.TextField(
        _("request"),
        max_length=5000,
        help_text=_("What the receiving unit needs to know to act: it sees nothing else."),
    )
    due_date = models.DateField(_("due date"))
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.REQUESTED
    )
    created_by = models.ForeignKey(
        User,
        verbose_name=_("sent by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField(_("sent at"), default=timezone.now)
    responded_at = models.DateTimeField(_("answered at"), null=True, blank=True)
    decline_reason = models.TextField(_("reason for declining"), blank=True, max_length=2000)
    outcome = models.TextField(_("what was done"), blank=True, max_length=5000)
    closed_at = models.DateTimeField(_("closed at"), null=True, blank=True)
    escalated_at = models.DateTimeField(_("escalated at"), null=True, blank=True)
    idempotency_key = models.CharField(_("idempotency key"), max_length=100, blank=True)

    objects = ReferralQuerySet.as_manager()

    class Meta:
        verbose_name = _("referral")
        verbose_name_plural = _("referrals")
        ordering = ["due_date", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(case__isnull=False)
                | Q(atrisk_file__isnull=False)
                | Q(child__isnull=False),
                name="casework_referral_has_subject",
            ),
            models.UniqueConstraint(
                fields=["from_unit", "idempotency_key"],
                condition=~Q(idempotency_key=""),
                name="casework_referral_idempotency_unique",
            ),
        ]
        indexes = [models.Index(fields=["to_unit", "status"], name="casework_referral_to_idx")]

    def __str__(self) -> str:
        return _("referral %(n)s") % {"n": self.pk}

    def get_absolute_url(self) -> str:
        return reverse("casework:referral_detail", args=[self.pk])

    @property
    def is_open(self) -> bool:
        return self.status in self.OPEN

    @property
    def overdue(self) -> bool:
        return self.is_open and self.due_date < timezone.localdate()

    @property
    def subject_label(self) -> str:
        if self.case_id is not None:
            return str(self.case)
        if self.atrisk_file_id is not None:
            return str(self.atrisk_file)
        return str(_("a child's need found in their care"))

    @property
    def person(self) -> Person | None:
        if self.case is not None:
            return self.case.child
        if self.atrisk_file is not None:
            return self.atrisk_file.person
        return self.child


class TimelineEntry(models.Model):
    """One step on a report's (or a referral's) timeline: every state change is written here."""

    case = models.ForeignKey(
        Case,
        verbose_name=pgettext_lazy("mandatory report", "report"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="timeline",
    )
    referral = models.ForeignKey(
        Referral,
        verbose_name=_("referral"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="timeline",
    )
    at = models.DateTimeField(_("time"), default=timezone.now)
    actor = models.ForeignKey(
        User,
        verbose_name=_("by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    unit = models.ForeignKey(
        Organisation,
        verbose_name=_("unit"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    kind = models.CharField(_("step"), max_length=40)
    # What happened, kept as a message id and its values (weibao.kit.messages) and read in the
    # reader's language: text_display().
    text = models.CharField(_("what happened"), max_length=300)
    text_args = models.JSONField(default=dict, blank=True)

    class Meta:
        verbose_name = _("timeline entry")
        verbose_name_plural = _("timeline entries")
        ordering = ["at", "id"]

    def __str__(self) -> str:
        return self.text_display()

    def text_display(self) -> str:
        return render(self.text, self.text_args)


# Supervision, suggestions, orders ----------------------------------------------------------------


class SupervisionQuerySet(models.QuerySet["Supervision"]):
    def for_user(self, user: User) -> SupervisionQuerySet:
        if not sees_all_casework(user):
            return self.none()
        return self.all()

    def open(self) -> SupervisionQuerySet:
        return self.filter(closed_at__isnull=True)


class Supervision(models.Model):
    """An item on the procuratorate's supervision list (督办), with its own deadline."""

    case = models.ForeignKey(
        Case,
        verbose_name=pgettext_lazy("mandatory report", "report"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="supervisions",
    )
    referral = models.ForeignKey(
        Referral,
        verbose_name=_("referral"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="supervisions",
    )
    deadline = models.DateField(_("deadline"))
    note = models.TextField(_("what is expected"), blank=True, max_length=5000)
    opened_by = models.ForeignKey(
        User,
        verbose_name=_("opened by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    opened_at = models.DateTimeField(_("opened at"), default=timezone.now)
    closed_at = models.DateTimeField(_("closed at"), null=True, blank=True)
    closing_note = models.TextField(_("closing note"), blank=True, max_length=5000)

    objects = SupervisionQuerySet.as_manager()

    class Meta:
        verbose_name = _("supervised item")
        verbose_name_plural = _("supervision list")
        ordering = ["deadline", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(case__isnull=False) | Q(referral__isnull=False),
                name="casework_supervision_has_subject",
            )
        ]

    def __str__(self) -> str:
        return str(self.case or self.referral)

    @property
    def overdue(self) -> bool:
        return self.closed_at is None and self.deadline < timezone.localdate()


class SuggestionQuerySet(models.QuerySet["Suggestion"]):
    def for_user(self, user: User) -> SuggestionQuerySet:
        if not works_with_data(user):
            return self.none()
        if sees_all_casework(user):
            return self.all()
        return self.filter(unit__in=_orgs(user))

    def awaiting_reply(self) -> SuggestionQuerySet:
        return self.filter(replied_at__isnull=True)


class Suggestion(models.Model):
    """A procuratorial suggestion (检察建议) to a unit, its reply and its assessment."""

    class Assessment(models.TextChoices):
        ADOPTED = "adopted", _("adopted")
        PARTLY = "partly", _("partly adopted")
        NOT_ADOPTED = "not_adopted", _("not adopted")

    year = models.PositiveSmallIntegerField(_("year"), editable=False)
    serial = models.PositiveIntegerField(_("serial number"), editable=False)
    number = models.CharField(_("document number"), max_length=50, editable=False)
    issuer = models.ForeignKey(
        Organisation, verbose_name=_("procuratorate"), on_delete=models.PROTECT, related_name="+"
    )
    unit = models.ForeignKey(
        Organisation, verbose_name=_("addressed to"), on_delete=models.PROTECT, related_name="+"
    )
    case = models.ForeignKey(
        Case,
        verbose_name=pgettext_lazy("mandatory report", "report"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="suggestions",
    )
    problem = models.TextField(_("problem found"), max_length=10000)
    suggestion = models.TextField(_("suggestion"), max_length=10000)
    legal_basis = models.TextField(_("legal basis"), max_length=5000)
    issued_on = models.DateField(_("issued on"))
    reply_due = models.DateField(_("reply due"))
    issued_by = models.ForeignKey(
        User,
        verbose_name=_("issued by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    reply = models.TextField(_("written reply"), blank=True, max_length=20000)
    measures = models.TextField(_("measures taken"), blank=True, max_length=10000)
    replied_at = models.DateTimeField(_("replied at"), null=True, blank=True)
    assessment = models.CharField(
        _("assessment"), max_length=12, choices=Assessment.choices, blank=True
    )
    assessment_note = models.TextField(_("assessment note"), blank=True, max_length=5000)
    assessed_at = models.DateTimeField(_("assessed at"), null=True, blank=True)

    objects = SuggestionQuerySet.as_manager()

    class Meta:
        verbose_name = _("procuratorial suggestion")
        verbose_name_plural = _("procuratorial suggestions")
        ordering = ["-year", "-serial"]
        constraints = [
            models.UniqueConstraint(
                fields=["issuer", "year", "serial"], name="casework_suggestion_serial_unique"
            )
        ]

    def __str__(self) -> str:
        return self.number

    def get_absolute_url(self) -> str:
        return reverse("casework:suggestion_detail", args=[self.pk])

    @property
    def reply_overdue(self) -> bool:
        return self.replied_at is None and self.reply_due < timezone.localdate()


class GuardianOrderQuerySet(models.QuerySet["GuardianOrder"]):
    def for_user(self, user: User) -> GuardianOrderQuerySet:
        if not works_with_data(user):
            return self.none()
        if sees_all_casework(user):
            return self.all()
        return self.filter(issuer__in=_orgs(user))


class GuardianOrder(models.Model):
    """An order to a child's guardians: 训诫, guidance order, 督促监护令, 家庭教育指导令."""

    class Kind(models.TextChoices):
        ADMONITION = "admonition", _("admonition of guardians (训诫)")
        GUIDANCE_ORDER = "guidance_order", _("order to accept family-education guidance")
        URGING_ORDER = "urging_order", _("order urging guardianship (督促监护令)")
        COURT_GUIDANCE = "court_guidance", _("family-education guidance order (court)")

    class Compliance(models.TextChoices):
        PENDING = "pending", _("being followed up")
        COMPLIED = "complied", _("complied")
        PARTLY = "partly", _("partly complied")
        NOT_COMPLIED = "not_complied", _("not complied")

    year = models.PositiveSmallIntegerField(_("year"), editable=False)
    serial = models.PositiveIntegerField(_("serial number"), editable=False)
    number = models.CharField(_("document number"), max_length=50, editable=False)
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    issuer = models.ForeignKey(
        Organisation, verbose_name=_("issuing unit"), on_delete=models.PROTECT, related_name="+"
    )
    child = models.ForeignKey(
        Person, verbose_name=_("minor"), on_delete=models.PROTECT, related_name="guardian_orders"
    )
    guardian = models.ForeignKey(
        Person,
        verbose_name=_("guardian"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="orders_received",
    )
    guardian_name = models.CharField(_("guardian's name"), max_length=50)
    case = models.ForeignKey(
        Case,
        verbose_name=pgettext_lazy("mandatory report", "report"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="guardian_orders",
    )
    atrisk_file = models.ForeignKey(
        AtRiskFile,
        verbose_name=_("at-risk file"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="casework_orders",
    )
    facts = models.TextField(_("facts found"), max_length=20000)
    legal_basis = models.TextField(_("legal basis"), max_length=5000)
    required_actions = models.TextField(_("required actions"), max_length=10000)
    issued_on = models.DateField(_("issued on"))
    issued_by = models.ForeignKey(
        User,
        verbose_name=_("issued by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    compliance = models.CharField(
        _("compliance"), max_length=15, choices=Compliance.choices, default=Compliance.PENDING
    )

    objects = GuardianOrderQuerySet.as_manager()

    class Meta:
        verbose_name = _("order to guardians")
        verbose_name_plural = _("orders to guardians")
        ordering = ["-issued_on", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["issuer", "year", "serial"], name="casework_order_serial_unique"
            )
        ]

    def __str__(self) -> str:
        return self.number

    def get_absolute_url(self) -> str:
        return reverse("casework:order_detail", args=[self.pk])


# The orders whose guardian receives family-education guidance (given in weibao.family).
GUIDANCE_KINDS = (
    GuardianOrder.Kind.GUIDANCE_ORDER,
    GuardianOrder.Kind.URGING_ORDER,
    GuardianOrder.Kind.COURT_GUIDANCE,
)


class FollowUpQuerySet(models.QuerySet["FollowUp"]):
    def due(self) -> FollowUpQuerySet:
        return self.filter(done_on__isnull=True)

    def overdue(self, on: date | None = None) -> FollowUpQuerySet:
        return self.due().filter(due_date__lt=on or timezone.localdate())


class FollowUp(models.Model):
    """A follow-up visit on an order to guardians: when it is due, and what was found."""

    order = models.ForeignKey(
        GuardianOrder, verbose_name=_("order"), on_delete=models.CASCADE, related_name="followups"
    )
    due_date = models.DateField(_("due date"))
    done_on = models.DateField(_("visited on"), null=True, blank=True)
    outcome = models.TextField(pgettext_lazy("visit", "outcome"), blank=True, max_length=5000)
    recorded_by = models.ForeignKey(
        User,
        verbose_name=_("recorded by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    objects = FollowUpQuerySet.as_manager()

    class Meta:
        verbose_name = _("follow-up visit")
        verbose_name_plural = _("follow-up visits")
        ordering = ["due_date", "id"]

    def __str__(self) -> str:
        return f"{self.order} {self.due_date}"

    @property
    def overdue(self) -> bool:
        return self.done_on is None and self.due_date < timezone.localdate()


def add_days(day: date, days: int) -> date:
    return day + timedelta(days=days)


def add_months(day: date, months: int) -> date:
    """The same day `months` later (the last of the month when that day does not exist)."""
    import calendar

    month0 = day.month - 1 + months
    year, month = day.year + month0 // 12, month0 % 12 + 1
    return date(year, month, min(day.day, calendar.monthrange(year, month)[1]))
