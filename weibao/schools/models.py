"""Schools and their campus liaisons (校园联络员)."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from weibao.accounts.models import Organisation, User


class SchoolQuerySet(models.QuerySet["School"]):
    def for_user(self, user: User) -> SchoolQuerySet:
        """School records are the county's public list: every active member may read them."""
        from weibao.accounts.policy import is_member

        return self if is_member(user) else self.none()

    def open(self) -> SchoolQuerySet:
        return self.filter(closed_on__isnull=True)


class School(models.Model):
    """The school record of a school unit: kind, ownership, place, head counts, principal.

    The name, division and credit code live on the unit (`organisation`), so a school is one
    unit everywhere in the platform.
    """

    class Kind(models.TextChoices):
        KINDERGARTEN = "kindergarten", _("kindergarten")
        PRIMARY = "primary", _("primary school")
        JUNIOR = "junior", _("junior secondary school")
        SENIOR = "senior", _("senior secondary school")
        NINE_YEAR = "nine_year", _("nine-year school")
        VOCATIONAL = "vocational", _("vocational school")
        SPECIAL = "special", _("special-education school")

    class Ownership(models.TextChoices):
        PUBLIC = "public", _("public")
        PRIVATE = "private", _("private")

    # The unit kind each school kind is filed under.
    UNIT_KIND = {
        Kind.KINDERGARTEN: Organisation.Kind.KINDERGARTEN,
        Kind.PRIMARY: Organisation.Kind.SCHOOL_PRIMARY,
        Kind.JUNIOR: Organisation.Kind.SCHOOL_SECONDARY,
        Kind.SENIOR: Organisation.Kind.SCHOOL_SECONDARY,
        Kind.NINE_YEAR: Organisation.Kind.SCHOOL_SECONDARY,
        Kind.VOCATIONAL: Organisation.Kind.SCHOOL_VOCATIONAL,
        Kind.SPECIAL: Organisation.Kind.SCHOOL_SPECIAL,
    }

    organisation = models.OneToOneField(
        Organisation,
        verbose_name=_("unit"),
        on_delete=models.PROTECT,
        related_name="school_record",
        limit_choices_to={"kind__in": Organisation.SCHOOL_KINDS},
    )
    kind = models.CharField(_("school kind"), max_length=20, choices=Kind.choices)
    ownership = models.CharField(
        _("ownership"), max_length=10, choices=Ownership.choices, default=Ownership.PUBLIC
    )
    address = models.CharField(pgettext_lazy("postal", "address"), max_length=200, blank=True)
    latitude = models.DecimalField(
        _("latitude"), max_digits=9, decimal_places=6, null=True, blank=True
    )
    longitude = models.DecimalField(
        _("longitude"), max_digits=9, decimal_places=6, null=True, blank=True
    )
    pupil_count = models.PositiveIntegerField(pgettext_lazy("count", "pupils"), default=0)
    staff_count = models.PositiveIntegerField(_("staff"), default=0)
    principal_name = models.CharField(_("principal"), max_length=50, blank=True)
    principal_phone = models.CharField(_("principal's phone"), max_length=20, blank=True)
    closed_on = models.DateField(_("closed on"), null=True, blank=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    objects = SchoolQuerySet.as_manager()

    class Meta:
        verbose_name = _("school")
        verbose_name_plural = _("schools")
        ordering = ["organisation__division__code", "organisation__name"]

    def __str__(self) -> str:
        return self.organisation.name

    def get_absolute_url(self) -> str:
        return reverse("schools:detail", args=[self.pk])

    @property
    def name(self) -> str:
        return self.organisation.name


class LiaisonQuerySet(models.QuerySet["LiaisonAppointment"]):
    def for_user(self, user: User) -> LiaisonQuerySet:
        """Appointments of the schools the user may see (who the liaisons are is not secret
        within the platform: the liaison group is how units reach a school)."""
        return self.filter(school__in=School.objects.for_user(user))

    def active(self) -> LiaisonQuerySet:
        return self.filter(ended_on__isnull=True)


class LiaisonAppointment(models.Model):
    """A campus liaison's term at a school. One active main liaison per school, and at most one
    active deputy; appointing a new one ends the old term, so the history stays."""

    class Position(models.TextChoices):
        MAIN = "main", _("liaison")
        DEPUTY = "deputy", _("deputy liaison")

    school = models.ForeignKey(
        School, verbose_name=_("school"), on_delete=models.PROTECT, related_name="liaisons"
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("liaison"),
        on_delete=models.PROTECT,
        related_name="liaison_appointments",
    )
    position = models.CharField(
        _("position"), max_length=10, choices=Position.choices, default=Position.MAIN
    )
    started_on = models.DateField(_("started on"), default=timezone.localdate)
    ended_on = models.DateField(_("ended on"), null=True, blank=True)
    appointed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("appointed by"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    objects = LiaisonQuerySet.as_manager()

    class Meta:
        verbose_name = _("liaison appointment")
        verbose_name_plural = _("liaison appointments")
        ordering = ["school", "-started_on", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["school", "position"],
                condition=models.Q(ended_on__isnull=True),
                name="liaison_one_active_per_position",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.school} · {self.user}"

    @property
    def is_active(self) -> bool:
        return self.ended_on is None
