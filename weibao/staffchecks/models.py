"""Staff rosters, the register of barring records, and the checks that compare the two.

The register (OffenderRecord) is the police's and the procuratorate's data: only they see it.
A unit sees its own roster and its check results, and a result is only ever "clear", "pending"
or "not to be employed / to be removed from work with children", never an offence.
"""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext

from weibao.accounts.models import Organisation, Role
from weibao.accounts.policy import (
    in_education_bureau,
    in_police,
    in_procuratorate,
    is_county_coordinator,
    is_unit_staff,
    works_with_data,
)
from weibao.kit import crypto
from weibao.lib.masking import mask_id, mask_name
from weibao.people.models import Person

if TYPE_CHECKING:
    from weibao.accounts.models import User

Kind = Organisation.Kind

# Units in close contact with minors (未成年人保护法 Art. 62, 130): they keep rosters and are
# checked every year.
CLOSE_CONTACT_KINDS = Organisation.CLOSE_CONTACT_KINDS
# Units whose results the education bureau oversees.
EDUCATION_KINDS = frozenset({*Organisation.SCHOOL_KINDS, Kind.TRAINING})
# Units that hold the register and confirm possible matches: the police and the procuratorate.
REGISTER_KINDS = frozenset({*Organisation.POLICE_KINDS, Kind.PROCURATORATE})
# Their staff who act on it (the county coordinator, who sits in the procuratorate, too).
REGISTER_STAFF_ROLES = frozenset({Role.UNIT_ADMIN, Role.CASE_WORKER})

# Police and procuratorate staff (not read-only) see the register and possible matches.
holds_register = (is_unit_staff | is_county_coordinator) & (in_police | in_procuratorate)


def sees_register(user: User) -> bool:
    """Police and procuratorate staff (not read-only) see the register and possible matches."""
    return bool(holds_register(user))


def unit_results_q(user: User, field: str = "unit") -> Q:
    """The units whose rosters and results `user` may see, as a filter on `field`."""
    if not works_with_data(user):
        return Q(pk__in=[])
    if is_county_coordinator(user):
        return Q()
    condition = Q(**{f"{field}__in": user.scope.org_ids}) if user.scope.org_ids else Q(pk__in=[])
    if in_education_bureau(user):
        condition |= Q(**{f"{field}__kind__in": EDUCATION_KINDS})
    return condition


def units_for_user(user: User) -> models.QuerySet[Organisation]:
    """The close-contact units whose rosters and results `user` may see."""
    units = Organisation.objects.filter(kind__in=CLOSE_CONTACT_KINDS)
    if not works_with_data(user):
        return units.none()
    if is_county_coordinator(user):
        return units
    condition = Q(pk__in=user.scope.org_ids)
    if in_education_bureau(user):
        condition |= Q(kind__in=EDUCATION_KINDS)
    return units.filter(condition)


class StaffMemberQuerySet(models.QuerySet["StaffMember"]):
    def for_user(self, user: User) -> StaffMemberQuerySet:
        return self.filter(unit_results_q(user))

    def active(self) -> StaffMemberQuerySet:
        return self.filter(status=StaffMember.Status.ACTIVE)


class StaffMember(models.Model):
    """One person on a unit's staff roster. Leavers are marked, never deleted."""

    class StaffRole(models.TextChoices):
        TEACHER = "teacher", _("teacher")
        ADMINISTRATION = "administration", _("administration")
        GENERAL_SERVICE = "general_service", _("general service")
        SECURITY = "security", _("security")
        DRIVER = "driver", _("driver")
        CANTEEN = "canteen", _("canteen")
        TRAINER = "trainer", _("trainer")
        MEDICAL = "medical", _("medical staff")
        VOLUNTEER = "volunteer", _("volunteer")
        OTHER = "other", _("other")

    class Status(models.TextChoices):
        ACTIVE = "active", _("active")
        LEFT = "left", _("left")

    unit = models.ForeignKey(
        Organisation, verbose_name=_("unit"), on_delete=models.PROTECT, related_name="staff"
    )
    person = models.ForeignKey(
        Person, verbose_name=_("person"), on_delete=models.PROTECT, related_name="staff_posts"
    )
    role = models.CharField(_("role"), max_length=20, choices=StaffRole.choices)
    start_date = models.DateField(_("start date"))
    end_date = models.DateField(_("end date"), null=True, blank=True)
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.ACTIVE
    )
    # Kept up to date by the checks, so that compliance counts need no join over the items.
    last_checked_on = models.DateField(_("last checked on"), null=True, blank=True)
    first_cleared_on = models.DateField(_("first clear result on"), null=True, blank=True)
    created_at = models.DateTimeField(_("created at"), default=timezone.now)

    objects = StaffMemberQuerySet.as_manager()

    class Meta:
        verbose_name = _("staff member")
        verbose_name_plural = _("staff members")
        ordering = ["unit_id", "person__name_pinyin", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["unit", "person"],
                condition=Q(status="active"),
                name="staffmember_active_unique",
            ),
            models.CheckConstraint(
                condition=Q(end_date__isnull=True) | Q(end_date__gte=models.F("start_date")),
                name="staffmember_end_after_start",
            ),
        ]
        indexes = [models.Index(fields=["unit", "status"], name="staffmember_unit_idx")]

    def __str__(self) -> str:
        return f"{self.person.masked_name} ({self.unit})"

    def get_absolute_url(self) -> str:
        return reverse("staffchecks:roster", args=[self.unit_id])


class RosterUploadQuerySet(models.QuerySet["RosterUpload"]):
    def for_user(self, user: User) -> RosterUploadQuerySet:
        return self.filter(unit_results_q(user))


class RosterUpload(models.Model):
    """An uploaded roster file, validated and waiting for the unit's decision."""

    class Status(models.TextChoices):
        VALIDATED = "validated", _("checked, waiting for a decision")
        IMPORTED = "imported", _("imported")

    unit = models.ForeignKey(
        Organisation, verbose_name=_("unit"), on_delete=models.PROTECT, related_name="+"
    )
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("uploaded by"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    file_name = models.CharField(_("file name"), max_length=200)
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.VALIDATED
    )
    good_rows = models.PositiveIntegerField(_("good rows"), default=0)
    bad_rows = models.PositiveIntegerField(_("bad rows"), default=0)
    errors = models.JSONField(_("errors"), default=list, blank=True)
    imported_rows = models.PositiveIntegerField(_("imported rows"), default=0)
    created_at = models.DateTimeField(_("created at"), default=timezone.now)
    imported_at = models.DateTimeField(_("imported at"), null=True, blank=True)

    objects = RosterUploadQuerySet.as_manager()

    class Meta:
        verbose_name = _("roster upload")
        verbose_name_plural = _("roster uploads")
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return self.file_name

    def get_absolute_url(self) -> str:
        return reverse("staffchecks:upload_detail", args=[self.pk])


class RegisterImportQuerySet(models.QuerySet["RegisterImport"]):
    def for_user(self, user: User) -> RegisterImportQuerySet:
        return self.all() if sees_register(user) else self.none()


class RegisterImport(models.Model):
    """One import of register records: who, when, how many."""

    organisation = models.ForeignKey(
        Organisation, verbose_name=_("unit"), on_delete=models.PROTECT, related_name="+"
    )
    imported_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("imported by"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    file_name = models.CharField(_("file name"), max_length=200, blank=True)
    rows = models.PositiveIntegerField(_("rows"), default=0)
    imported_at = models.DateTimeField(_("imported at"), default=timezone.now)

    objects = RegisterImportQuerySet.as_manager()

    class Meta:
        verbose_name = _("register import")
        verbose_name_plural = _("register imports")
        ordering = ["-imported_at"]

    def __str__(self) -> str:
        return f"{self.organisation} {self.imported_at:%Y-%m-%d}"


class OffenderRecordQuerySet(models.QuerySet["OffenderRecord"]):
    def for_user(self, user: User) -> OffenderRecordQuerySet:
        return self.all() if sees_register(user) else self.none()


class OffenderRecord(models.Model):
    """A person whose record bars them from work with children: category codes only."""

    class Category(models.TextChoices):
        SEXUAL = "sexual", _("sexual offence against minors")
        ABUSE = "abuse", _("abuse")
        TRAFFICKING = "trafficking", _("trafficking")
        VIOLENCE = "violence", _("violent harm")

    id_hash = models.CharField(max_length=64, blank=True)
    name_key = models.CharField(max_length=50)
    birth_date = models.DateField(_("birth date"))
    categories = models.CharField(_("categories"), max_length=100)
    name_encrypted = models.TextField(editable=False, max_length=500)
    id_number_encrypted = models.TextField(blank=True, editable=False, max_length=500)
    source = models.ForeignKey(
        RegisterImport,
        verbose_name=_("import"),
        on_delete=models.PROTECT,
        related_name="records",
    )
    imported_at = models.DateTimeField(_("imported at"), default=timezone.now)

    objects = OffenderRecordQuerySet.as_manager()

    class Meta:
        verbose_name = _("register record")
        verbose_name_plural = _("register records")
        ordering = ["-imported_at", "id"]
        indexes = [
            models.Index(fields=["id_hash"], name="offender_hash_idx"),
            models.Index(fields=["name_key", "birth_date"], name="offender_name_idx"),
        ]

    def __str__(self) -> str:
        return self.masked_name

    @property
    def name(self) -> str:
        return crypto.decrypt(self.name_encrypted)

    @property
    def id_number(self) -> str:
        return crypto.decrypt(self.id_number_encrypted)

    @property
    def masked_name(self) -> str:
        return mask_name(self.name)

    @property
    def masked_id_number(self) -> str:
        return mask_id(self.id_number) if self.id_number_encrypted else ""

    def category_labels(self) -> list[str]:
        labels = dict(self.Category.choices)
        return [str(labels.get(code, code)) for code in self.categories.split(",") if code]


class CheckBatchQuerySet(models.QuerySet["CheckBatch"]):
    def for_user(self, user: User) -> CheckBatchQuerySet:
        return self.filter(unit_results_q(user))


class CheckBatch(models.Model):
    """A request to check a set of people of one unit: new hires, the yearly re-check, a file
    of applicants, or results entered from the national query platform."""

    class Kind(models.TextChoices):
        NEW_HIRE = "new_hire", _("new hires")
        ANNUAL = "annual", _("annual re-check")
        APPLICANTS = "applicants", _("applicants file")
        NATIONAL = "national", _("national query platform result file")

    class Status(models.TextChoices):
        OPEN = "open", _("open, not yet run")
        RUNNING = "running", _("checking")
        DONE = "done", _("done")

    unit = models.ForeignKey(
        Organisation, verbose_name=_("unit"), on_delete=models.PROTECT, related_name="check_batches"
    )
    kind = models.CharField(_("kind"), max_length=12, choices=Kind.choices)
    year = models.PositiveSmallIntegerField(_("year"))
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default="open")
    consent_confirmed = models.BooleanField(_("consent obtained"), default=False)
    consent_note = models.CharField(_("consent record"), max_length=300, blank=True)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("requested by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    total = models.PositiveIntegerField(_("people"), default=0)
    clear_count = models.PositiveIntegerField(_("clear"), default=0)
    barred_count = models.PositiveIntegerField(_("not to be employed"), default=0)
    pending_count = models.PositiveIntegerField(_("pending"), default=0)
    created_at = models.DateTimeField(_("created at"), default=timezone.now)
    submitted_at = models.DateTimeField(_("submitted at"), null=True, blank=True)
    completed_at = models.DateTimeField(_("completed at"), null=True, blank=True)

    objects = CheckBatchQuerySet.as_manager()

    class Meta:
        verbose_name = _("check request")
        verbose_name_plural = _("check requests")
        ordering = ["-created_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["unit", "year"],
                condition=Q(kind="annual"),
                name="checkbatch_one_annual_per_year",
            )
        ]

    def __str__(self) -> str:
        return f"{self.unit} · {self.get_kind_display()} · {self.created_at:%Y-%m-%d}"

    def get_absolute_url(self) -> str:
        return reverse("staffchecks:batch_detail", args=[self.pk])


class CheckItemQuerySet(models.QuerySet["CheckItem"]):
    def for_user(self, user: User) -> CheckItemQuerySet:
        return self.filter(unit_results_q(user, "batch__unit"))

    def cleared(self) -> CheckItemQuerySet:
        """Clear: decided so (by the police, or by the national platform's file), or left
        without a finding by a finished check (see CheckItem.outcome)."""
        return self.filter(
            Q(result=CheckItem.Result.CLEAR)
            | Q(result=CheckItem.Result.QUEUED, batch__status=CheckBatch.Status.DONE)
        )

    def possible_for_police(self, user: User) -> CheckItemQuerySet:
        """Possible matches waiting for confirmation: for the register's holders only."""
        if not sees_register(user):
            return self.none()
        return self.filter(result=CheckItem.Result.POSSIBLE)

    def barred_without_action(self) -> CheckItemQuerySet:
        return self.filter(result=CheckItem.Result.BARRED, action="")


class CheckItem(models.Model):
    """One person in a check request, with a snapshot of their keys and the result.

    A check writes its findings only (barred, possible); everyone else keeps "not yet checked"
    in the table and reads as clear once the request is done (`outcome`): one write per finding
    instead of one per person. That is sound because items are only ever made with their
    request or by its run, before it is done, and a request is done only when every item has
    been matched (or, for the national platform's file, given its result).
    """

    class Result(models.TextChoices):
        QUEUED = "queued", _("not yet checked")
        CLEAR = "clear", _("clear")
        BARRED = "barred", _("not to be employed / to be removed from work with children")
        POSSIBLE = "possible", _("possible match, waiting for police confirmation")

    class MatchKind(models.TextChoices):
        NONE = "", _("none")
        EXACT = "exact", _("same ID number")
        POSSIBLE = "possible", _("same name and birth date")
        NATIONAL = "national", _("national query platform")

    class Action(models.TextChoices):
        NONE = "", _("none yet")
        NOT_HIRED = "not_hired", _("not hired")
        SUSPENDED = "suspended", _("suspended from work with children")
        DISMISSED = "dismissed", _("dismissed")

    batch = models.ForeignKey(
        CheckBatch, verbose_name=_("check request"), on_delete=models.CASCADE, related_name="items"
    )
    staff = models.ForeignKey(
        StaffMember,
        verbose_name=_("staff member"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="check_items",
    )
    id_hash = models.CharField(max_length=64)
    name_key = models.CharField(max_length=50)
    birth_date = models.DateField(_("birth date"))
    name_encrypted = models.TextField(editable=False, max_length=500)
    id_number_encrypted = models.TextField(editable=False, max_length=500)
    result = models.CharField(
        _("result"), max_length=10, choices=Result.choices, default=Result.QUEUED
    )
    match_kind = models.CharField(
        _("match"), max_length=10, choices=MatchKind.choices, blank=True, default=""
    )
    matched_record = models.ForeignKey(
        OffenderRecord,
        verbose_name=_("register record"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    checked_at = models.DateTimeField(_("checked at"), null=True, blank=True)
    confirmed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("confirmed by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    confirmed_at = models.DateTimeField(_("confirmed at"), null=True, blank=True)
    action = models.CharField(
        _("action taken"), max_length=12, choices=Action.choices, blank=True, default=""
    )
    action_due = models.DateField(_("action due by"), null=True, blank=True)
    action_recorded_at = models.DateTimeField(_("action recorded at"), null=True, blank=True)

    objects = CheckItemQuerySet.as_manager()

    class Meta:
        verbose_name = _("checked person")
        verbose_name_plural = _("checked people")
        ordering = ["batch_id", "id"]
        # No index holds `result`: the findings and decisions that rewrite it stay cheap,
        # heap-only updates on PostgreSQL (see migration 0002). The ID key is indexed because
        # the family network reads a volunteer's latest check by it across every request
        # (a key is never rewritten, so the updates stay heap-only).
        indexes = [models.Index(fields=["id_hash"], name="checkitem_hash_idx")]

    def __str__(self) -> str:
        return self.masked_name

    @property
    def name(self) -> str:
        return crypto.decrypt(self.name_encrypted)

    @property
    def id_number(self) -> str:
        return crypto.decrypt(self.id_number_encrypted)

    @property
    def masked_name(self) -> str:
        return mask_name(self.name)

    @property
    def masked_id_number(self) -> str:
        return mask_id(self.id_number) if self.id_number_encrypted else ""

    @property
    def outcome(self) -> str:
        """The result: the finding or decision recorded, else clear once the request is done."""
        if self.result == self.Result.QUEUED and self.batch.status == CheckBatch.Status.DONE:
            return self.Result.CLEAR
        return self.result

    @property
    def unit_result(self) -> str:
        """The result as the unit may see it: a possible match is only "pending"."""
        outcome = self.outcome
        if outcome in (self.Result.QUEUED, self.Result.POSSIBLE):
            return "pending"
        return outcome

    @property
    def unit_result_label(self) -> str:
        if self.unit_result == "pending":
            return pgettext("check result", "pending")
        return str(self.Result(self.unit_result).label)

    @property
    def action_overdue(self) -> bool:
        return bool(
            self.result == self.Result.BARRED
            and not self.action
            and self.action_due is not None
            and self.action_due < date.today()
        )


class MatchDecisionQuerySet(models.QuerySet["MatchDecision"]):
    def for_user(self, user: User) -> MatchDecisionQuerySet:
        return self.all() if sees_register(user) else self.none()


class MatchDecision(models.Model):
    """The police's or procuratorate's decision on a possible match, remembered for later checks.

    A pair decided "not the same person" is not raised again; "the same person" is a barring
    result at the next check without asking again. The decision goes with the register record.
    """

    id_hash = models.CharField(max_length=64)
    record = models.ForeignKey(
        OffenderRecord,
        verbose_name=_("register record"),
        on_delete=models.CASCADE,
        related_name="decisions",
    )
    same_person = models.BooleanField(_("the same person"))
    item = models.ForeignKey(
        CheckItem,
        verbose_name=_("decided at the check of"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("decided by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    decided_at = models.DateTimeField(_("decided at"), default=timezone.now)

    objects = MatchDecisionQuerySet.as_manager()

    class Meta:
        verbose_name = _("match decision")
        verbose_name_plural = _("match decisions")
        ordering = ["-decided_at", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["id_hash", "record"], name="matchdecision_unique")
        ]

    def __str__(self) -> str:
        return f"{self.record} · {self.decided_at:%Y-%m-%d}"
