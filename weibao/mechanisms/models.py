"""The mechanisms (工作机制): the leading group with its lead agency and member units, the
implementation plan, joint meetings whose decisions become tasks, the supervision (督办) of those
tasks, Party-building co-construction activities, and the yearly assessment of the member units.

Who reaches what (`for_user`), in the vocabulary's words (weibao.accounts.policy):
- the leading group, its members, responsibilities and plan: every user who works with data
  (the pages: the member units, the lead agency and county coordinators: policy.py);
- meetings: the lead agency and county coordinators all; a unit those it was asked to attend;
- tasks: the lead agency and county coordinators all; a unit those it owns or shares;
- activities: the lead agency, county coordinators and the partner unit;
- assessment scores: the lead agency and county coordinators all; a unit its own.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import rules
from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Exists, OuterRef, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from weibao.accounts.models import Organisation, User
from weibao.accounts.policy import is_county_coordinator, works_with_data

# Days past its deadline after which an open task gets a supervision notice (the second step
# after the daily reminders).
SUPERVISE_AFTER_DAYS = getattr(settings, "MECHANISMS_SUPERVISE_AFTER_DAYS", 7)


def lead_unit_id() -> int | None:
    """The lead agency of the leading group (None before the group is set up)."""
    group = LeadingGroup.objects.order_by("pk").only("lead_unit_id").first()
    return group.lead_unit_id if group else None


def _group_role(user: User) -> tuple[bool, bool]:
    """Whether the user's unit leads the group, and whether it is a current member: one query,
    read once per user object (one request), as every menu entry and page asks."""
    cached = getattr(user, "_mechanisms_role", None)
    if cached is None:
        unit = user.organisation_id
        members = Member.objects.current().filter(group=OuterRef("pk"), unit_id=unit)
        row = (
            LeadingGroup.objects.order_by("pk")
            .annotate(member=Exists(members))
            .values_list("lead_unit_id", "member")
            .first()
        )
        cached = (False, False) if row is None else (unit is not None and row[0] == unit, row[1])
        user._mechanisms_role = cached  # type: ignore[attr-defined]
    return cached


@rules.predicate
def in_lead_agency(user: User) -> bool:
    """The user works in the leading group's lead agency (its office runs the group)."""
    return works_with_data(user) and _group_role(user)[0]


@rules.predicate
def in_member_unit(user: User) -> bool:
    """The user works in a current member unit of the leading group."""
    return works_with_data(user) and _group_role(user)[1]


# County coordinators and the lead agency see every meeting, task and score.
sees_everything = works_with_data & (is_county_coordinator | in_lead_agency)


# The leading group -------------------------------------------------------------------------------


class LeadingGroup(models.Model):
    """The county's leading group for minors' protection (未成年人保护工作领导小组)."""

    name = models.CharField(pgettext_lazy("group", "name"), max_length=100)
    lead_unit = models.ForeignKey(
        Organisation,
        verbose_name=_("lead agency"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    established_on = models.DateField(_("established on"), null=True, blank=True)

    class Meta:
        verbose_name = _("leading group")
        verbose_name_plural = _("leading groups")

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("mechanisms:group")


class MemberQuerySet(models.QuerySet["Member"]):
    def for_user(self, user: User) -> MemberQuerySet:
        return self if works_with_data(user) else self.none()

    def current(self) -> MemberQuerySet:
        return self.filter(left_on__isnull=True)


class Member(models.Model):
    """A member unit of the leading group, with its contact person."""

    group = models.ForeignKey(
        LeadingGroup,
        verbose_name=_("leading group"),
        on_delete=models.CASCADE,
        related_name="members",
    )
    unit = models.ForeignKey(
        Organisation, verbose_name=_("unit"), on_delete=models.PROTECT, related_name="+"
    )
    contact = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("contact person"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    contact_phone = models.CharField(_("contact phone"), max_length=20, blank=True)
    joined_on = models.DateField(_("joined on"), default=timezone.localdate)
    left_on = models.DateField(_("left on"), null=True, blank=True)

    objects = MemberQuerySet.as_manager()

    class Meta:
        verbose_name = _("member unit")
        verbose_name_plural = _("member units")
        ordering = ["unit__name", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["group", "unit"],
                condition=Q(left_on__isnull=True),
                name="mechanisms_member_once",
            )
        ]

    def __str__(self) -> str:
        return str(self.unit)

    def get_absolute_url(self) -> str:
        return reverse("mechanisms:member", args=[self.pk])


class ResponsibilityQuerySet(models.QuerySet["Responsibility"]):
    def current(self) -> ResponsibilityQuerySet:
        return self.filter(valid_to__isnull=True)

    def on(self, day: date) -> ResponsibilityQuerySet:
        """The responsibilities that stood on `day` (the list's history)."""
        return self.filter(Q(valid_to__isnull=True) | Q(valid_to__gt=day), valid_from__lte=day)


class Responsibility(models.Model):
    """One line of a member unit's responsibilities. An edit closes the old line
    (`valid_to`) and adds a new one, so the list on any past day can be read back."""

    member = models.ForeignKey(
        Member,
        verbose_name=_("member unit"),
        on_delete=models.CASCADE,
        related_name="responsibilities",
    )
    text = models.CharField(_("responsibility"), max_length=300)
    position = models.PositiveSmallIntegerField(_("position"), default=0)
    valid_from = models.DateField(_("valid from"), default=timezone.localdate)
    valid_to = models.DateField(_("valid until"), null=True, blank=True)
    changed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    objects = ResponsibilityQuerySet.as_manager()

    class Meta:
        verbose_name = _("responsibility")
        verbose_name_plural = _("responsibilities")
        ordering = ["position", "pk"]

    def __str__(self) -> str:
        return self.text


class Plan(models.Model):
    """The implementation plan (实施方案) for a year or a span of years."""

    title = models.CharField(_("title"), max_length=200)
    year = models.PositiveSmallIntegerField(
        _("year"), unique=True, validators=[MinValueValidator(2000), MaxValueValidator(2100)]
    )
    issued_on = models.DateField(_("issued on"), null=True, blank=True)

    class Meta:
        verbose_name = _("implementation plan")
        verbose_name_plural = _("implementation plans")
        ordering = ["-year"]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("mechanisms:plan", args=[self.pk])


class PlanItemQuerySet(models.QuerySet["PlanItem"]):
    def for_user(self, user: User) -> PlanItemQuerySet:
        return self if works_with_data(user) else self.none()


class PlanItem(models.Model):
    """A goal or a measure of the plan, which tasks, activities and assessment items serve."""

    class Kind(models.TextChoices):
        GOAL = "goal", pgettext_lazy("plan item", "goal")
        MEASURE = "measure", pgettext_lazy("plan item", "measure")

    plan = models.ForeignKey(
        Plan,
        verbose_name=_("implementation plan"),
        on_delete=models.CASCADE,
        related_name="items",
    )
    number = models.CharField(pgettext_lazy("numbering", "number"), max_length=20)
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices, default=Kind.MEASURE)
    title = models.CharField(_("title"), max_length=300)
    lead = models.ForeignKey(
        Organisation,
        verbose_name=_("responsible unit"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    objects = PlanItemQuerySet.as_manager()

    class Meta:
        verbose_name = _("plan item")
        verbose_name_plural = _("plan items")
        ordering = ["plan", "number", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["plan", "number"], name="mechanisms_plan_item_number")
        ]

    def __str__(self) -> str:
        return f"{self.number} {self.title}"


# Meetings ----------------------------------------------------------------------------------------


class MeetingQuerySet(models.QuerySet["Meeting"]):
    def for_user(self, user: User) -> MeetingQuerySet:
        if not works_with_data(user):
            return self.none()
        if sees_everything(user):
            return self
        return self.filter(pk__in=Attendance.objects.filter(user.scope.q("unit")).values("meeting"))


class Meeting(models.Model):
    """A joint meeting, special meeting or case consultation of the leading group."""

    class Kind(models.TextChoices):
        JOINT = "joint", _("joint meeting")
        SPECIAL = "special", _("special meeting")
        CONSULTATION = "consultation", _("case consultation")

    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices, default=Kind.JOINT)
    title = models.CharField(_("title"), max_length=200)
    held_on = models.DateField(_("held on"))
    place = models.CharField(pgettext_lazy("meeting", "place"), max_length=100, blank=True)
    convener = models.ForeignKey(
        Organisation, verbose_name=_("convener"), on_delete=models.PROTECT, related_name="+"
    )
    agenda = models.TextField(_("agenda"), blank=True, max_length=20000)
    minutes = models.TextField(_("minutes"), blank=True, max_length=20000)
    cases = models.ManyToManyField(
        "casework.Case", verbose_name=_("cases discussed"), blank=True, related_name="+"
    )
    files = models.ManyToManyField(
        "atrisk.AtRiskFile",
        verbose_name=_("at-risk files discussed"),
        blank=True,
        related_name="+",
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(_("created at"), default=timezone.now)

    objects = MeetingQuerySet.as_manager()

    class Meta:
        verbose_name = _("meeting")
        verbose_name_plural = _("meetings")
        ordering = ["-held_on", "-pk"]
        indexes = [models.Index(fields=["held_on"], name="mechanisms_meeting_held")]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("mechanisms:meeting", args=[self.pk])


class Attendance(models.Model):
    """A unit (and, if named, its person) asked to a meeting: present or absent."""

    meeting = models.ForeignKey(
        Meeting, verbose_name=_("meeting"), on_delete=models.CASCADE, related_name="attendances"
    )
    unit = models.ForeignKey(
        Organisation, verbose_name=_("unit"), on_delete=models.PROTECT, related_name="+"
    )
    person = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("person attending"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    present = models.BooleanField(_("present"), default=True)
    note = models.CharField(_("note"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("attendance")
        verbose_name_plural = _("attendances")
        ordering = ["unit__name", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["meeting", "unit"], name="mechanisms_attendance_once")
        ]

    def __str__(self) -> str:
        return f"{self.meeting_id} {self.unit_id}"


class Decision(models.Model):
    """A decision of a meeting (议定事项); each becomes one or more tasks."""

    meeting = models.ForeignKey(
        Meeting, verbose_name=_("meeting"), on_delete=models.CASCADE, related_name="decisions"
    )
    number = models.PositiveSmallIntegerField(pgettext_lazy("numbering", "number"))
    text = models.TextField(_("decision"), max_length=2000)

    class Meta:
        verbose_name = _("decision")
        verbose_name_plural = _("decisions")
        ordering = ["meeting", "number"]
        constraints = [
            models.UniqueConstraint(fields=["meeting", "number"], name="mechanisms_decision_number")
        ]

    def __str__(self) -> str:
        return f"{self.meeting} ({self.number})"


# Tasks and their supervision ---------------------------------------------------------------------


class TaskQuerySet(models.QuerySet["Task"]):
    def for_user(self, user: User) -> TaskQuerySet:
        if not works_with_data(user):
            return self.none()
        if sees_everything(user):
            return self
        return self.filter(
            user.scope.q("owner")
            | Q(
                pk__in=Task.co_units.through.objects.filter(
                    organisation__in=user.scope.org_ids
                ).values("task")
            )
        )

    def open(self) -> TaskQuerySet:
        """Not yet accepted by the lead agency (open, returned or waiting for acceptance)."""
        return self.exclude(state=Task.State.DONE)

    def overdue(self, today: date | None = None) -> TaskQuerySet:
        """Open or returned past the deadline (a result submitted waits on the lead agency)."""
        return self.filter(
            state__in=[Task.State.OPEN, Task.State.RETURNED],
            deadline__lt=today or timezone.localdate(),
        )

    def done_on_time(self) -> TaskQuerySet:
        return self.filter(state=Task.State.DONE, submitted_on__lte=models.F("deadline"))


class Task(models.Model):
    """A task decided by a meeting (or set by the lead agency): owner, co-units, deadline."""

    class State(models.TextChoices):
        OPEN = "open", pgettext_lazy("task state", "open")
        SUBMITTED = "submitted", pgettext_lazy("task state", "result submitted")
        RETURNED = "returned", pgettext_lazy("task state", "returned")
        DONE = "done", pgettext_lazy("task state", "accepted")

    decision = models.ForeignKey(
        Decision,
        verbose_name=_("decision"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="tasks",
    )
    plan_item = models.ForeignKey(
        PlanItem,
        verbose_name=_("plan item"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="tasks",
    )
    title = models.CharField(_("title"), max_length=200)
    deliverable = models.TextField(_("deliverable"), blank=True, max_length=5000)
    owner = models.ForeignKey(
        Organisation, verbose_name=_("owner unit"), on_delete=models.PROTECT, related_name="+"
    )
    co_units = models.ManyToManyField(
        Organisation, verbose_name=_("co-operating units"), blank=True, related_name="+"
    )
    deadline = models.DateField(_("deadline"))
    state = models.CharField(_("state"), max_length=10, choices=State.choices, default=State.OPEN)
    # The day the owner submitted the result that was accepted (on time when ≤ deadline).
    submitted_on = models.DateField(_("result submitted on"), null=True, blank=True)
    accepted_on = models.DateField(_("accepted on"), null=True, blank=True)
    supervised_on = models.DateField(_("supervised on"), null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(_("created at"), default=timezone.now)

    objects = TaskQuerySet.as_manager()

    class Meta:
        verbose_name = _("task")
        verbose_name_plural = _("tasks")
        ordering = ["deadline", "pk"]
        indexes = [
            models.Index(fields=["owner", "state"], name="mechanisms_task_owner"),
            models.Index(fields=["state", "deadline"], name="mechanisms_task_due"),
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("mechanisms:task", args=[self.pk])

    @property
    def overdue(self) -> bool:
        return (
            self.state in (self.State.OPEN, self.State.RETURNED)
            and self.deadline < timezone.localdate()
        )


class ProgressQuerySet(models.QuerySet["Progress"]):
    def for_user(self, user: User) -> ProgressQuerySet:
        """A task's reports (and their files) follow the task."""
        return self.filter(task__in=Task.objects.for_user(user))


class Progress(models.Model):
    """A progress report on a task, a submitted result, or the lead agency's answer to it."""

    class Kind(models.TextChoices):
        PROGRESS = "progress", pgettext_lazy("task report", "progress")
        RESULT = "result", pgettext_lazy("task report", "result submitted")
        ACCEPTED = "accepted", pgettext_lazy("task report", "accepted")
        RETURNED = "returned", pgettext_lazy("task report", "returned")
        REMINDED = "reminded", pgettext_lazy("task report", "reminded")
        SUPERVISED = "supervised", pgettext_lazy("task report", "supervision notice")

    task = models.ForeignKey(
        Task, verbose_name=_("task"), on_delete=models.CASCADE, related_name="reports"
    )
    kind = models.CharField(_("kind"), max_length=12, choices=Kind.choices)
    text = models.TextField(_("text"), blank=True, max_length=5000)
    unit = models.ForeignKey(
        Organisation,
        verbose_name=_("unit"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    at = models.DateTimeField(_("at"), default=timezone.now)

    objects = ProgressQuerySet.as_manager()

    class Meta:
        verbose_name = _("task report")
        verbose_name_plural = _("task reports")
        ordering = ["at", "pk"]

    def __str__(self) -> str:
        return f"{self.task_id} {self.kind}"


class SupervisionNotice(models.Model):
    """A supervision notice (督办通知) to the owner unit's leader about an overdue or returned
    task; its Word file is drawn from these fields."""

    task = models.ForeignKey(
        Task, verbose_name=_("task"), on_delete=models.CASCADE, related_name="notices"
    )
    number = models.CharField(_("document number"), max_length=40, unique=True)
    issued_on = models.DateField(_("issued on"))
    addressee = models.CharField(_("addressee"), max_length=100)
    reason = models.TextField(_("reason"), max_length=5000)
    reply_by = models.DateField(_("reply by"))
    issued_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        verbose_name = _("supervision notice")
        verbose_name_plural = _("supervision notices")
        ordering = ["-issued_on", "-pk"]

    def __str__(self) -> str:
        return self.number


# Party-building co-construction ------------------------------------------------------------------


class CobuildingQuerySet(models.QuerySet["Cobuilding"]):
    def for_user(self, user: User) -> CobuildingQuerySet:
        if not works_with_data(user):
            return self.none()
        if sees_everything(user):
            return self
        return self.filter(user.scope.q("partner", "organiser"))


class Cobuilding(models.Model):
    """A Party-building co-construction activity (支部共建) between the procuratorate's branch
    and a school's or a village's Party branch."""

    held_on = models.DateField(_("held on"))
    title = models.CharField(_("title"), max_length=200)
    organiser = models.ForeignKey(
        Organisation,
        verbose_name=_("organising unit"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    partner = models.ForeignKey(
        Organisation, verbose_name=_("partner unit"), on_delete=models.PROTECT, related_name="+"
    )
    plan_item = models.ForeignKey(
        PlanItem,
        verbose_name=_("plan item"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="activities",
    )
    participants = models.PositiveIntegerField(_("participants"), default=0)
    summary = models.TextField(_("summary"), blank=True, max_length=5000)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )

    objects = CobuildingQuerySet.as_manager()

    class Meta:
        verbose_name = _("co-construction activity")
        verbose_name_plural = _("co-construction activities")
        ordering = ["-held_on", "-pk"]

    def __str__(self) -> str:
        return self.title


# The yearly assessment ---------------------------------------------------------------------------


class Scheme(models.Model):
    """The assessment scheme of one year: its items, and the grade thresholds."""

    class State(models.TextChoices):
        OPEN = "open", pgettext_lazy("assessment", "in progress")
        REVIEW = "review", pgettext_lazy("assessment", "under review")
        PUBLISHED = "published", pgettext_lazy("assessment", "published")

    year = models.PositiveSmallIntegerField(
        _("year"), unique=True, validators=[MinValueValidator(2000), MaxValueValidator(2100)]
    )
    title = models.CharField(_("title"), max_length=200)
    state = models.CharField(_("state"), max_length=10, choices=State.choices, default=State.OPEN)
    excellent_from = models.DecimalField(
        _("excellent from"), max_digits=5, decimal_places=1, default=Decimal(90)
    )
    qualified_from = models.DecimalField(
        _("qualified from"), max_digits=5, decimal_places=1, default=Decimal(60)
    )
    published_at = models.DateTimeField(_("published at"), null=True, blank=True)

    class Meta:
        verbose_name = _("assessment scheme")
        verbose_name_plural = _("assessment schemes")
        ordering = ["-year"]
        constraints = [
            models.CheckConstraint(
                condition=Q(qualified_from__lte=models.F("excellent_from")),
                name="mechanisms_scheme_grades_ordered",
            )
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("mechanisms:scheme", args=[self.pk])


class Item(models.Model):
    """An item of the scheme: computed from an indicator, or scored by hand with evidence; a
    bonus or a deduction adds or takes points outside the weights."""

    class Kind(models.TextChoices):
        INDICATOR = "indicator", _("from an indicator")
        MANUAL = "manual", _("scored by hand")
        BONUS = "bonus", _("bonus")
        DEDUCTION = "deduction", _("deduction")

    scheme = models.ForeignKey(
        Scheme,
        verbose_name=_("assessment scheme"),
        on_delete=models.CASCADE,
        related_name="items",
    )
    number = models.PositiveSmallIntegerField(pgettext_lazy("numbering", "number"))
    title = models.CharField(_("title"), max_length=200)
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices)
    # Full points of the item (for bonus and deduction items: the most that can be added or
    # taken).
    weight = models.DecimalField(
        _("points"), max_digits=5, decimal_places=1, validators=[MinValueValidator(Decimal(0))]
    )
    # For INDICATOR items: the unit figure's code (see assessment.UNIT_FIGURES) and the value
    # at which the item scores full points (a share in per cent, or a count); the points fall
    # linearly to zero at zero.
    figure = models.CharField(_("figure"), max_length=40, blank=True)
    target = models.DecimalField(_("target"), max_digits=8, decimal_places=1, null=True, blank=True)
    plan_item = models.ForeignKey(
        PlanItem,
        verbose_name=_("plan item"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    rule = models.CharField(_("scoring rule"), max_length=300, blank=True)

    class Meta:
        verbose_name = _("assessment item")
        verbose_name_plural = _("assessment items")
        ordering = ["scheme", "number"]
        constraints = [
            models.UniqueConstraint(fields=["scheme", "number"], name="mechanisms_item_number")
        ]

    def __str__(self) -> str:
        return f"{self.number}. {self.title}"


class ScoreQuerySet(models.QuerySet["Score"]):
    def for_user(self, user: User) -> ScoreQuerySet:
        if not works_with_data(user):
            return self.none()
        if sees_everything(user):
            return self
        return self.filter(unit_id=user.organisation_id)


class Score(models.Model):
    """One unit's score on one item: computed (with its source), self-assessed, reviewed."""

    item = models.ForeignKey(
        Item, verbose_name=_("assessment item"), on_delete=models.CASCADE, related_name="scores"
    )
    unit = models.ForeignKey(
        Organisation, verbose_name=_("unit"), on_delete=models.PROTECT, related_name="+"
    )
    computed = models.DecimalField(
        _("computed points"), max_digits=6, decimal_places=2, null=True, blank=True
    )
    # What the computed points were read from: the figure, its value and the rule.
    source = models.JSONField(_("source"), default=dict, blank=True)
    self_points = models.DecimalField(
        _("self-assessed points"), max_digits=6, decimal_places=2, null=True, blank=True
    )
    self_note = models.TextField(_("self-assessment"), blank=True, max_length=5000)
    points = models.DecimalField(
        _("reviewed points"), max_digits=6, decimal_places=2, null=True, blank=True
    )
    reason = models.TextField(_("reason for the adjustment"), blank=True, max_length=2000)

    objects = ScoreQuerySet.as_manager()

    class Meta:
        verbose_name = _("score")
        verbose_name_plural = _("scores")
        ordering = ["item__number", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["item", "unit"], name="mechanisms_score_once")
        ]

    def __str__(self) -> str:
        return f"{self.item_id} {self.unit_id}"

    @property
    def final(self) -> Decimal | None:
        """The points that count: reviewed, else self-assessed, else computed. A unit's own
        points on an item computed from an indicator are its claim for the review, not points
        that count: the computed ones stand until the lead agency reviews them."""
        if self.points is not None:
            return self.points
        if self.self_points is not None and self.item.kind != Item.Kind.INDICATOR:
            return self.self_points
        return self.computed


class ScoreChange(models.Model):
    """A change of a score after it was published: the old and new points and the reason."""

    score = models.ForeignKey(
        Score, verbose_name=_("score"), on_delete=models.CASCADE, related_name="changes"
    )
    old_points = models.DecimalField(
        _("old points"), max_digits=6, decimal_places=2, null=True, blank=True
    )
    new_points = models.DecimalField(_("new points"), max_digits=6, decimal_places=2)
    reason = models.TextField(_("reason"), max_length=2000)
    changed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    changed_at = models.DateTimeField(_("changed at"), default=timezone.now)

    class Meta:
        verbose_name = _("score change")
        verbose_name_plural = _("score changes")
        ordering = ["changed_at", "pk"]

    def __str__(self) -> str:
        return f"{self.score_id} {self.new_points}"


class ResultQuerySet(models.QuerySet["Result"]):
    def for_user(self, user: User) -> ResultQuerySet:
        if not works_with_data(user):
            return self.none()
        if sees_everything(user):
            return self
        return self.filter(unit_id=user.organisation_id)


class Result(models.Model):
    """A unit's total for the year, its rank and grade (set when the scheme is published)."""

    class Grade(models.TextChoices):
        EXCELLENT = "excellent", pgettext_lazy("grade", "excellent")
        QUALIFIED = "qualified", pgettext_lazy("grade", "qualified")
        UNQUALIFIED = "unqualified", pgettext_lazy("grade", "unqualified")

    scheme = models.ForeignKey(
        Scheme,
        verbose_name=_("assessment scheme"),
        on_delete=models.CASCADE,
        related_name="results",
    )
    unit = models.ForeignKey(
        Organisation, verbose_name=_("unit"), on_delete=models.PROTECT, related_name="+"
    )
    total = models.DecimalField(_("total points"), max_digits=6, decimal_places=2)
    rank = models.PositiveSmallIntegerField(_("rank"), null=True, blank=True)
    grade = models.CharField(_("grade"), max_length=12, choices=Grade.choices, blank=True)
    self_submitted_at = models.DateTimeField(
        _("self-assessment submitted at"), null=True, blank=True
    )

    objects = ResultQuerySet.as_manager()

    class Meta:
        verbose_name = _("assessment result")
        verbose_name_plural = _("assessment results")
        ordering = ["scheme", "rank", "unit__name"]
        constraints = [
            models.UniqueConstraint(fields=["scheme", "unit"], name="mechanisms_result_once")
        ]

    def __str__(self) -> str:
        return f"{self.scheme_id} {self.unit_id} {self.total}"
