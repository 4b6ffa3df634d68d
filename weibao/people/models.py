"""The people register: minors and adults, their guardians, and left-behind status."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from typing import Any

from django.core.exceptions import ValidationError
from django.db import connection, models
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from weibao.accounts.models import Division, Organisation, User
from weibao.accounts.policy import works_with_data
from weibao.kit import crypto
from weibao.lib import idnumber
from weibao.lib.masking import mask_address, mask_id, mask_name, mask_phone


def adult_birth_cutoff(on: date) -> date:
    """The earliest birth date of someone still a minor on `on`.

    周岁 count from the day after the birthday, so a person born on this day 18 years ago is still
    17 today. When that day does not exist (29 February), the first minor was born on 1 March.
    """
    try:
        return on.replace(year=on.year - idnumber.ADULT_AGE)
    except ValueError:
        return date(on.year - idnumber.ADULT_AGE, 3, 1)


def validate_birth_date(value: date) -> None:
    """A birth date in the future or before 1900 is refused (see `idnumber.check_birth_date`)."""
    try:
        idnumber.check_birth_date(value, today=timezone.localdate())
    except ValueError as exc:
        raise ValidationError(str(exc), code="invalid_birth_date") from None


def visible_q(user: User, prefix: str = "") -> models.Q:
    """The people a user's scope reaches, as a filter; `prefix` applies it through a relation."""
    return user.scope.q("school", "registered_by", division="division", prefix=prefix)


class PersonQuerySet(models.QuerySet["Person"]):
    def for_user(self, user: User) -> PersonQuerySet:
        """People the user may see: their unit's pupils and records, or their division."""
        if not works_with_data(user):
            return self.none()
        return self.filter(visible_q(user))

    def by_id_hash(self, value: str) -> PersonQuerySet:
        """The person with this blind index. The unique index on the hash leaves out empty
        hashes, so the query says "not empty" too: without it SQLite scans the whole table."""
        return self.filter(id_number_hash=value).exclude(id_number_hash="")

    def pks_by_id_hash(self, hashes: Sequence[str]) -> dict[str, int]:
        """Blind index -> pk, for those of `hashes` on file (thousands at once, for imports).

        Plain SQL: the ORM would prepare each value of the IN list one by one. The "not empty"
        condition is the unique index's own, as in `by_id_hash`.
        """
        if not hashes:
            return {}
        quote = connection.ops.quote_name
        sql = "SELECT {c}, {pk} FROM {t} WHERE {c} IN ({marks}) AND {c} <> ''".format(  # noqa: S608
            c=quote("id_number_hash"),
            pk=quote("id"),
            t=quote(self.model._meta.db_table),
            marks=", ".join(["%s"] * len(hashes)),
        )
        with connection.cursor() as cursor:
            cursor.execute(sql, list(hashes))
            return dict(cursor.fetchall())

    def minors(self, on: date | None = None) -> PersonQuerySet:
        """People under 18 周岁 on the day `on` (today by default), as `idnumber.age_on` counts."""
        return self.filter(birth_date__gte=adult_birth_cutoff(on or timezone.localdate()))


class Person(models.Model):
    """A person known to the platform. The ID number is stored encrypted with a blind index."""

    class Sex(models.TextChoices):
        MALE = "M", _("male")
        FEMALE = "F", _("female")

    name = models.CharField(pgettext_lazy("person", "name"), max_length=50)
    name_pinyin = models.CharField(_("pinyin"), max_length=200, blank=True, db_index=True)
    name_initials = models.CharField(_("initials"), max_length=50, blank=True, db_index=True)
    sex = models.CharField(_("sex"), max_length=1, choices=Sex.choices)
    birth_date = models.DateField(_("birth date"), validators=[validate_birth_date])
    id_number_encrypted = models.TextField(
        _("ID number (encrypted)"), blank=True, editable=False, max_length=500
    )
    id_number_hash = models.CharField(max_length=64, blank=True, editable=False)
    phone = models.CharField(_("phone"), max_length=20, blank=True)
    address = models.CharField(pgettext_lazy("postal", "address"), max_length=200, blank=True)
    division = models.ForeignKey(
        Division,
        verbose_name=_("place of residence"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="residents",
    )
    hukou_division = models.ForeignKey(
        Division,
        verbose_name=_("household registration"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="registered_residents",
    )
    school = models.ForeignKey(
        Organisation,
        verbose_name=_("school"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="pupils",
        limit_choices_to={"kind__in": Organisation.SCHOOL_KINDS},
    )
    grade = models.CharField(_("grade"), max_length=20, blank=True)
    class_name = models.CharField(_("class"), max_length=20, blank=True)
    registered_by = models.ForeignKey(
        Organisation,
        verbose_name=_("registered by"),
        on_delete=models.PROTECT,
        related_name="registered_people",
    )
    created_at = models.DateTimeField(_("created at"), default=timezone.now)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    objects = PersonQuerySet.as_manager()

    class Meta:
        verbose_name = _("person")
        verbose_name_plural = _("people")
        ordering = ["name_pinyin", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["id_number_hash"],
                condition=~models.Q(id_number_hash=""),
                name="person_id_number_unique",
            )
        ]
        indexes = [models.Index(fields=["school", "name_pinyin"], name="person_school_idx")]

    def __str__(self) -> str:
        return self.masked_name

    def get_absolute_url(self) -> str:
        return reverse("people:detail", args=[self.pk])

    @property
    def id_number(self) -> str:
        return crypto.decrypt(self.id_number_encrypted)

    def set_id_number(self, value: str) -> None:
        self.id_number_encrypted = crypto.encrypt(value)
        self.id_number_hash = crypto.blind_index(value)

    @property
    def masked_name(self) -> str:
        return mask_name(self.name)

    @property
    def masked_id_number(self) -> str:
        return mask_id(self.id_number) if self.id_number_encrypted else ""

    @property
    def masked_phone(self) -> str:
        return mask_phone(self.phone)

    @property
    def masked_address(self) -> str:
        return mask_address(self.address)

    def name_for(self, user: Any) -> str:
        """The full name for a user of a unit that holds this record (it registered the person,
        or the person is its pupil); the masked name for everyone else who may see it."""
        unit = getattr(user, "organisation_id", None)
        holders = {self.registered_by_id}
        if self.school_id is not None:
            holders.add(self.school_id)
        return self.name if unit is not None and unit in holders else self.masked_name

    def age_on(self, on: date | None = None) -> int | None:
        """Age in full years; None for a birth date after `on` (a bad row must not break a page)."""
        return idnumber.age_or_none(self.birth_date, on or timezone.localdate())

    @property
    def age(self) -> int | None:
        return self.age_on()

    @property
    def is_minor(self) -> bool:
        """Under 18 周岁 today; False when the age is unknown (a birth date in the future)."""
        age = self.age
        return age is not None and age < idnumber.ADULT_AGE

    @property
    def is_adult(self) -> bool:
        """18 周岁 or over today; False when the age is unknown."""
        age = self.age
        return age is not None and age >= idnumber.ADULT_AGE

    @property
    def is_left_behind(self) -> bool:
        """Whether the child is currently left behind (select_related("left_behind") for lists)."""
        try:
            return bool(self.left_behind.is_active)
        except LeftBehindStatus.DoesNotExist:
            return False


class GuardianshipQuerySet(models.QuerySet["Guardianship"]):
    def with_visible(self, user: User, side: str) -> GuardianshipQuerySet:
        """Only the guardianships whose `side` ("guardian" or "child") the user may see."""
        if not works_with_data(user):
            return self.none()
        return self.filter(visible_q(user, prefix=f"{side}__"))


class Guardianship(models.Model):
    """A guardian of a child, and how they are related."""

    class Relationship(models.TextChoices):
        FATHER = "father", _("father")
        MOTHER = "mother", _("mother")
        GRANDPARENT = "grandparent", _("grandparent")
        SIBLING = "sibling", _("adult sibling")
        RELATIVE = "relative", _("other relative")
        ENTRUSTED = "entrusted", _("entrusted carer")
        INSTITUTION = "institution", _("institution")
        OTHER = "other", _("other")

    child = models.ForeignKey(
        Person, verbose_name=_("child"), on_delete=models.CASCADE, related_name="guardianships"
    )
    guardian = models.ForeignKey(
        Person, verbose_name=_("guardian"), on_delete=models.PROTECT, related_name="wards"
    )
    relationship = models.CharField(_("relationship"), max_length=20, choices=Relationship.choices)
    is_primary = models.BooleanField(_("primary guardian"), default=False)

    objects = GuardianshipQuerySet.as_manager()

    class Meta:
        verbose_name = _("guardianship")
        verbose_name_plural = _("guardianships")
        constraints = [
            models.UniqueConstraint(fields=["child", "guardian"], name="guardianship_unique"),
            models.CheckConstraint(
                condition=~models.Q(child=models.F("guardian")), name="guardianship_not_self"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.guardian} → {self.child}"


class LeftBehindStatus(models.Model):
    """Left-behind status of a child (未成年人保护法 Art. 22-23)."""

    class ParentsAway(models.TextChoices):
        BOTH = "both", _("both parents work away")
        ONE_OTHER_UNABLE = "one", _("one parent away, the other unable to care")

    child = models.OneToOneField(
        Person, verbose_name=_("child"), on_delete=models.CASCADE, related_name="left_behind"
    )
    parents_away = models.CharField(_("parents away"), max_length=10, choices=ParentsAway.choices)
    parents_workplace = models.CharField(
        _("where the parents work"),
        max_length=100,
        blank=True,
        help_text=_("The city or province, and the employer if known."),
    )
    entrusted_carer = models.ForeignKey(
        Person,
        verbose_name=_("entrusted carer"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="entrusted_children",
    )
    carer_disqualified = models.BooleanField(
        _("carer disqualified"),
        default=False,
        help_text=_("The carer has a record or habit that the law excludes (Art. 22)."),
    )
    written_notice_date = models.DateField(
        _("written notice to school and village"), null=True, blank=True
    )
    last_contact_date = models.DateField(_("parents' last contact"), null=True, blank=True)
    is_active = models.BooleanField(_("currently left behind"), default=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        verbose_name = _("left-behind status")
        verbose_name_plural = _("left-behind statuses")

    def __str__(self) -> str:
        return str(self.child)

    @property
    def contact_overdue(self) -> bool:
        """Parents must contact the child at least weekly (Art. 23)."""
        if self.last_contact_date is None:
            return True
        return (timezone.localdate() - self.last_contact_date).days > 7
