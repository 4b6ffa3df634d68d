"""Who is who: the county's division tree, the units that take part, and their users."""

from __future__ import annotations

from datetime import timedelta
from functools import cached_property
from typing import TYPE_CHECKING, ClassVar

from django.conf import settings
from django.contrib.auth.models import AbstractUser, UserManager
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from weibao.lib import divisions as division_codes

if TYPE_CHECKING:
    from weibao.accounts.policy import Scope


class DivisionQuerySet(models.QuerySet["Division"]):
    def within(self, division: Division) -> DivisionQuerySet:
        """The division and everything below it, by code prefix."""
        return self.filter(code__startswith=division.prefix)

    def townships(self) -> DivisionQuerySet:
        return self.filter(level=Division.Level.TOWNSHIP)


class Division(models.Model):
    """An administrative division (GB/T 2260 / 12-digit statistical code)."""

    class Level(models.IntegerChoices):
        PROVINCE = 1, _("province")
        PREFECTURE = 2, _("prefecture")
        COUNTY = 3, _("county")
        TOWNSHIP = 4, _("township")
        VILLAGE = 5, _("village / community")

    code = models.CharField(_("division code"), max_length=12, unique=True)
    name = models.CharField(pgettext_lazy("place", "name"), max_length=100)
    level = models.PositiveSmallIntegerField(
        pgettext_lazy("division", "level"), choices=Level.choices
    )
    parent = models.ForeignKey(
        "self",
        verbose_name=_("parent division"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="children",
    )

    objects = DivisionQuerySet.as_manager()

    class Meta:
        verbose_name = _("division")
        verbose_name_plural = _("divisions")
        ordering = ["code"]

    def __str__(self) -> str:
        return self.name

    @property
    def prefix(self) -> str:
        """The significant digits of the code: every division below shares them."""
        return division_codes.short(self.code)


class OrganisationQuerySet(models.QuerySet["Organisation"]):
    def for_user(self, user: User) -> OrganisationQuerySet:
        """Units a user may see: every active unit is public within the platform."""
        if not user.is_authenticated or not user.is_active:
            return self.none()
        return self.all()

    def for_admin(self, user: User) -> OrganisationQuerySet:
        """Units a user administers: all for a system administrator, a unit admin's own unit."""
        if not user.is_authenticated or not user.is_active:
            return self.none()
        if user.role == Role.SYSADMIN:
            return self.all()
        if user.role == Role.UNIT_ADMIN:
            return self.filter(pk=user.organisation_id)
        return self.none()

    def schools(self) -> OrganisationQuerySet:
        return self.filter(kind__in=Organisation.SCHOOL_KINDS)

    def active(self) -> OrganisationQuerySet:
        return self.filter(is_active=True)


class Organisation(models.Model):
    """A unit that takes part in the work: an agency, a school, a village committee, a hotel..."""

    class Kind(models.TextChoices):
        PROCURATORATE = "procuratorate", _("procuratorate")
        COURT = "court", _("court")
        PUBLIC_SECURITY = "public_security", _("public-security bureau")
        POLICE_STATION = "police_station", _("police station")
        JUSTICE = "justice", _("justice bureau")
        EDUCATION = "education", _("education bureau")
        SCHOOL_PRIMARY = "school_primary", _("primary school")
        SCHOOL_SECONDARY = "school_secondary", _("secondary school")
        SCHOOL_VOCATIONAL = "school_vocational", _("vocational school")
        SCHOOL_SPECIAL = "school_special", _("special-education school")
        KINDERGARTEN = "kindergarten", _("kindergarten")
        TRAINING = "training", _("off-campus training institution")
        CIVIL_AFFAIRS = "civil_affairs", _("civil-affairs bureau")
        WOMENS_FEDERATION = "womens_federation", _("women's federation")
        YOUTH_LEAGUE = "youth_league", _("Communist Youth League")
        GUANGONGWEI = "guangongwei", _("committee for the care of the next generation")
        WOMEN_CHILDREN_COMMITTEE = (
            "women_children_committee",
            _("women's and children's working committee"),
        )
        HEALTH = "health", _("health bureau")
        HOSPITAL = "hospital", _("hospital or clinic")
        MARKET_REGULATION = "market_regulation", _("market-regulation bureau")
        CULTURE_TOURISM = "culture_tourism", _("culture and tourism bureau")
        WATER_RESOURCES = "water_resources", _("water-resources bureau")
        TOWNSHIP = "township", _("township government")
        VILLAGE_COMMITTEE = "village_committee", _("village / residents' committee")
        SOCIAL_WORK = "social_work", _("social-work organisation")
        HOTEL = "hotel", _("hotel")

    SCHOOL_KINDS = frozenset(
        {
            Kind.SCHOOL_PRIMARY,
            Kind.SCHOOL_SECONDARY,
            Kind.SCHOOL_VOCATIONAL,
            Kind.SCHOOL_SPECIAL,
            Kind.KINDERGARTEN,
        }
    )
    # Units whose jurisdiction is their division rather than their own records.
    TERRITORIAL_KINDS = frozenset({Kind.TOWNSHIP, Kind.VILLAGE_COMMITTEE, Kind.POLICE_STATION})
    POLICE_KINDS = frozenset({Kind.PUBLIC_SECURITY, Kind.POLICE_STATION})
    # The bodies that send legal vice-principals to schools.
    SENDING_BODY_KINDS = frozenset(
        {Kind.PROCURATORATE, Kind.COURT, Kind.PUBLIC_SECURITY, Kind.POLICE_STATION, Kind.JUSTICE}
    )
    # Units whose staff work in close contact with minors (Minors Protection Law Art. 62).
    CLOSE_CONTACT_KINDS = frozenset({*SCHOOL_KINDS, Kind.TRAINING, Kind.HOSPITAL, Kind.SOCIAL_WORK})

    name = models.CharField(pgettext_lazy("unit", "name"), max_length=200, unique=True)
    kind = models.CharField(_("kind"), max_length=32, choices=Kind.choices)
    division = models.ForeignKey(
        Division, verbose_name=_("division"), on_delete=models.PROTECT, related_name="units"
    )
    credit_code = models.CharField(_("unified social credit code"), max_length=18, blank=True)
    parent = models.ForeignKey(
        "self",
        verbose_name=_("parent unit"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="children",
    )
    webhook_url = models.URLField(
        _("group-robot webhook"),
        blank=True,
        help_text=_("WeCom or DingTalk group robot address; notices are also posted there."),
    )
    is_active = models.BooleanField(_("active"), default=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    objects = OrganisationQuerySet.as_manager()

    class Meta:
        verbose_name = _("unit")
        verbose_name_plural = _("units")
        ordering = ["division__code", "name"]
        constraints = [
            models.UniqueConstraint(
                fields=["credit_code"],
                condition=~models.Q(credit_code=""),
                name="organisation_credit_code_unique",
            )
        ]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("accounts:unit_detail", args=[self.pk])

    @property
    def is_school(self) -> bool:
        return self.kind in self.SCHOOL_KINDS

    @property
    def is_territorial(self) -> bool:
        return self.kind in self.TERRITORIAL_KINDS


class Role(models.TextChoices):
    """A user's role. The first five act within their unit; the last two are county-wide."""

    UNIT_ADMIN = "unit_admin", _("unit administrator")
    CASE_WORKER = "case_worker", _("case worker")
    CAMPUS_LIAISON = "campus_liaison", _("campus liaison")
    READ_ONLY = "read_only", _("read-only")
    AUDITOR = "auditor", _("auditor")
    COUNTY_COORDINATOR = "county_coordinator", _("county coordinator")
    SYSADMIN = "sysadmin", _("system administrator")


# Roles only a system administrator may give: they reach beyond one unit.
COUNTY_ROLES = frozenset({Role.SYSADMIN, Role.AUDITOR, Role.COUNTY_COORDINATOR})


class WeibaoUserManager(UserManager["User"]):
    def for_admin(self, user: User) -> models.QuerySet[User]:
        """Users `user` administers: everyone for a system administrator; for a unit
        administrator, their own unit's staff without county-wide roles."""
        users = self.get_queryset()
        if not user.is_authenticated or not user.is_active:
            return users.none()
        if user.role == Role.SYSADMIN:
            return users
        if user.role == Role.UNIT_ADMIN:
            return users.filter(organisation_id=user.organisation_id).exclude(role__in=COUNTY_ROLES)
        return users.none()


class User(AbstractUser):
    """A person who signs in: belongs to one unit, with one role."""

    organisation = models.ForeignKey(
        Organisation,
        verbose_name=_("unit"),
        on_delete=models.PROTECT,
        related_name="users",
    )
    role = models.CharField(_("role"), max_length=32, choices=Role.choices)
    full_name = models.CharField(_("full name"), max_length=50)
    phone = models.CharField(_("phone"), max_length=20, blank=True)
    password_changed_at = models.DateTimeField(_("password changed at"), default=timezone.now)
    language = models.CharField(
        _("language"), max_length=10, choices=settings.LANGUAGES, default="zh-hans"
    )

    objects: ClassVar[WeibaoUserManager] = WeibaoUserManager()

    REQUIRED_FIELDS = ["email"]

    class Meta:
        verbose_name = _("user")
        verbose_name_plural = _("users")
        ordering = ["organisation__name", "username"]

    def __str__(self) -> str:
        return f"{self.full_name or self.username}（{self.username}）"

    @property
    def is_county_wide(self) -> bool:
        return self.role == Role.COUNTY_COORDINATOR

    @property
    def needs_otp(self) -> bool:
        return self.role in settings.OTP_REQUIRED_ROLES

    @property
    def password_expired(self) -> bool:
        max_age = timedelta(days=settings.PASSWORD_MAX_AGE_DAYS)
        return timezone.now() - self.password_changed_at > max_age

    @cached_property
    def otp_device_set_up(self) -> bool:
        """Whether the user has enrolled a one-time-code device."""
        from django_otp import user_has_device

        return bool(user_has_device(self))

    @cached_property
    def scope(self) -> Scope:
        """What this user may see; computed once per request."""
        from weibao.accounts.policy import scope_for

        return scope_for(self)

    def set_password(self, raw_password: str | None) -> None:
        super().set_password(raw_password)
        self.password_changed_at = timezone.now()


class PasswordHistory(models.Model):
    """The hash of a password a user had before: a new password may not be one of the last
    PASSWORD_HISTORY_COUNT (等保: no reuse), nor the current one."""

    user = models.ForeignKey(
        User, verbose_name=_("user"), on_delete=models.CASCADE, related_name="password_history"
    )
    password = models.CharField(_("password"), max_length=128)
    created_at = models.DateTimeField(_("replaced at"), default=timezone.now)

    class Meta:
        verbose_name = _("former password")
        verbose_name_plural = _("former passwords")
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"{self.user_id} {self.created_at:%Y-%m-%d}"
