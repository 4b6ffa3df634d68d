"""The minors' criminal-case register (涉未成年人刑事案件台账) kept by the procuratorate: cases
with their offence, township and joint or gang character, the suspects with their age at the
offence in 周岁 and the procuratorate's decisions on each (arrest, prosecution), and the victims.

Who reaches what (`for_user`): the procuratorate and the county coordinator see every case;
everyone else sees none (they see the figures, through the statistics app).

Derived fields are stored so the statistics app can count them in one grouped query: a case's
`offence_group` (from its offence, by `OFFENCE_GROUP`), a suspect's `minor` and `age_band` (from
the age at the offence), a victim's `minor` and `offence_group`, and a case's `prosecuted_on` (the
first prosecution decision on one of its minor suspects). The services set them; nothing else
writes these tables.
"""

from __future__ import annotations

from datetime import date

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from weibao.accounts.models import Division, Organisation, User
from weibao.accounts.policy import in_procuratorate, is_county_coordinator, works_with_data
from weibao.lib import idnumber
from weibao.people.models import Person

ADULT_AGE = idnumber.ADULT_AGE
JOINT_MIN = 2  # 刑法 Art. 25: 共同犯罪 is two or more persons
GANG_MIN = 3  # 刑法 Art. 26: a criminal group (犯罪集团) is three or more persons

sees_cases = is_county_coordinator | in_procuratorate
Sex = Person.Sex


class Offence(models.TextChoices):
    """The Criminal Law's offences met in minors' cases, each with its article."""

    RAPE = "rape", _("rape (Criminal Law Art. 236)")
    INDECENT_ASSAULT = "indecent_assault", _("forcible indecency (Criminal Law Art. 237)")
    CHILD_INDECENCY = "child_indecency", _("indecency with a child (Criminal Law Art. 237)")
    INJURY = "injury", _("intentional injury (Criminal Law Art. 234)")
    HOMICIDE = "homicide", _("intentional homicide (Criminal Law Art. 232)")
    ROBBERY = "robbery", _("robbery (Criminal Law Art. 263)")
    SNATCHING = "snatching", _("snatching (Criminal Law Art. 267)")
    THEFT = "theft", _("theft (Criminal Law Art. 264)")
    FRAUD = "fraud", _("fraud (Criminal Law Art. 266)")
    EXTORTION = "extortion", _("extortion (Criminal Law Art. 274)")
    PROVOKING_TROUBLE = (
        "provoking_trouble",
        _("picking quarrels and provoking trouble (Criminal Law Art. 293)"),
    )
    AFFRAY = "affray", _("gathering a crowd for an affray (Criminal Law Art. 292)")
    DRUG_TRAFFICKING = "drug_trafficking", _("drug trafficking (Criminal Law Art. 347)")
    HARBOURING_DRUG_USE = (
        "harbouring_drug_use",
        _("harbouring others' drug use (Criminal Law Art. 354)"),
    )
    CYBER_AID = (
        "cyber_aid",
        _("helping information-network criminal activities (Criminal Law Art. 287-2)"),
    )
    ORGANISING_PROSTITUTION = (
        "organising_prostitution",
        _("organising prostitution (Criminal Law Art. 358)"),
    )
    CHILD_TRAFFICKING = (
        "child_trafficking",
        _("abducting and trafficking children (Criminal Law Art. 240)"),
    )
    OTHER = "other", pgettext_lazy("offence", "other offence")


class OffenceGroup(models.TextChoices):
    """The speech's groups of offences."""

    SEXUAL = "sexual", _("sexual offences against minors")
    VIOLENCE = "violence", _("violence")
    PROPERTY = "property", _("property")
    DRUGS = "drugs", _("drugs")
    PUBLIC_ORDER = "public_order", _("public order and gang-related")
    CYBER = "cyber", _("cyber")
    OTHER = "other", pgettext_lazy("offence group", "other")


# The one mapping from an offence to its group.
OFFENCE_GROUP: dict[str, str] = {
    Offence.RAPE: OffenceGroup.SEXUAL,
    Offence.INDECENT_ASSAULT: OffenceGroup.SEXUAL,
    Offence.CHILD_INDECENCY: OffenceGroup.SEXUAL,
    Offence.INJURY: OffenceGroup.VIOLENCE,
    Offence.HOMICIDE: OffenceGroup.VIOLENCE,
    Offence.CHILD_TRAFFICKING: OffenceGroup.VIOLENCE,
    Offence.ROBBERY: OffenceGroup.PROPERTY,
    Offence.SNATCHING: OffenceGroup.PROPERTY,
    Offence.THEFT: OffenceGroup.PROPERTY,
    Offence.FRAUD: OffenceGroup.PROPERTY,
    Offence.EXTORTION: OffenceGroup.PROPERTY,
    Offence.PROVOKING_TROUBLE: OffenceGroup.PUBLIC_ORDER,
    Offence.AFFRAY: OffenceGroup.PUBLIC_ORDER,
    Offence.DRUG_TRAFFICKING: OffenceGroup.DRUGS,
    Offence.HARBOURING_DRUG_USE: OffenceGroup.DRUGS,
    Offence.CYBER_AID: OffenceGroup.CYBER,
    Offence.ORGANISING_PROSTITUTION: OffenceGroup.OTHER,
    Offence.OTHER: OffenceGroup.OTHER,
}


def offence_group_of(offence: str) -> str:
    return OFFENCE_GROUP.get(offence, OffenceGroup.OTHER)


class AgeBand(models.TextChoices):
    """Age at the offence in 周岁, in the bands of 刑法 Art. 17 (the speech's "14-16" is 14 and
    15: 14 ≤ age < 16)."""

    UNDER_14 = "under14", _("under 14")
    FROM_14_TO_16 = "14to16", _("14 to 16 (14 and 15)")
    FROM_16_TO_18 = "16to18", _("16 to 18 (16 and 17)")
    ADULT = "adult", _("18 and over")


def age_band_of(age: int) -> str:
    if age < 14:
        return AgeBand.UNDER_14
    if age < 16:
        return AgeBand.FROM_14_TO_16
    if age < ADULT_AGE:
        return AgeBand.FROM_16_TO_18
    return AgeBand.ADULT


class CriminalCaseQuerySet(models.QuerySet["Case"]):
    def for_user(self, user: User) -> CriminalCaseQuerySet:
        if not works_with_data(user) or not sees_cases(user):
            return self.none()
        return self

    def in_division(self, division: Division) -> CriminalCaseQuerySet:
        return self.filter(division__code__startswith=division.prefix)


class Case(models.Model):
    """A criminal case involving minors (as suspects or victims), by the procuratorate's 案号."""

    number = models.CharField(pgettext_lazy("criminal case", "case number"), max_length=60)
    offence = models.CharField(_("offence"), max_length=30, choices=Offence.choices)
    offence_group = models.CharField(
        _("offence group"), max_length=20, choices=OffenceGroup.choices, editable=False
    )
    offence_date = models.DateField(_("offence date"))
    division = models.ForeignKey(
        Division,
        verbose_name=_("township or village"),
        on_delete=models.PROTECT,
        related_name="criminal_cases",
    )
    joint = models.BooleanField(_("joint crime (共同犯罪)"), default=False)
    gang = models.BooleanField(_("gang crime (团伙犯罪)"), default=False)
    participants = models.PositiveSmallIntegerField(_("participants"), default=1)
    notes = models.TextField(_("notes"), blank=True, max_length=5000)
    prosecuted_on = models.DateField(
        _("first prosecuted on"), null=True, blank=True, editable=False
    )
    created_by_unit = models.ForeignKey(
        Organisation,
        verbose_name=_("registered by"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(_("created at"), default=timezone.now)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    objects = CriminalCaseQuerySet.as_manager()

    class Meta:
        verbose_name = _("criminal case")
        verbose_name_plural = _("criminal cases")
        ordering = ["-offence_date", "-pk"]
        constraints = [
            models.UniqueConstraint(fields=["number"], name="crimes_case_number_unique"),
            models.CheckConstraint(
                condition=Q(joint=False) | Q(participants__gte=JOINT_MIN),
                name="crimes_joint_two_or_more",
            ),
            models.CheckConstraint(
                condition=Q(gang=False) | Q(joint=True, participants__gte=GANG_MIN),
                name="crimes_gang_three_or_more",
            ),
        ]
        indexes = [
            models.Index(fields=["offence_date"], name="crimes_case_offence_date"),
            models.Index(fields=["prosecuted_on"], name="crimes_case_prosecuted_on"),
        ]

    def __str__(self) -> str:
        return self.number

    def save(self, *args: object, **kwargs: object) -> None:
        self.offence_group = offence_group_of(self.offence)
        super().save(*args, **kwargs)  # type: ignore[arg-type]

    def get_absolute_url(self) -> str:
        return reverse("crimes:case_detail", args=[self.pk])


class SuspectQuerySet(models.QuerySet["Suspect"]):
    def for_user(self, user: User) -> SuspectQuerySet:
        return self.filter(case__in=Case.objects.for_user(user).values("pk"))

    def minors(self) -> SuspectQuerySet:
        return self.filter(minor=True)


class Suspect(models.Model):
    """A suspect of a case: a person of the people register, or only an age and a sex."""

    case = models.ForeignKey(
        Case, verbose_name=_("criminal case"), on_delete=models.CASCADE, related_name="suspects"
    )
    person = models.ForeignKey(
        Person,
        verbose_name=pgettext_lazy("suspect", "person"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="criminal_suspicions",
    )
    sex = models.CharField(_("sex"), max_length=1, choices=Sex.choices)
    age_at_offence = models.PositiveSmallIntegerField(_("age at the offence (周岁)"))
    minor = models.BooleanField(_("minor"), default=True, editable=False)
    age_band = models.CharField(
        _("age band"), max_length=10, choices=AgeBand.choices, editable=False
    )
    atrisk_measure = models.ForeignKey(
        "atrisk.Measure",
        verbose_name=_("at-risk record"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        editable=False,
    )

    objects = SuspectQuerySet.as_manager()

    class Meta:
        verbose_name = _("suspect")
        verbose_name_plural = _("suspects")
        ordering = ["case", "pk"]
        indexes = [models.Index(fields=["minor", "age_band"], name="crimes_suspect_band")]

    def __str__(self) -> str:
        return f"{self.case.number} · {self.get_sex_display()} {self.age_at_offence}"

    def save(self, *args: object, **kwargs: object) -> None:
        self.minor = self.age_at_offence < ADULT_AGE
        self.age_band = age_band_of(self.age_at_offence)
        super().save(*args, **kwargs)  # type: ignore[arg-type]

    def decision(self, stage: str) -> Decision | None:
        """The suspect's decision at `stage` (prefetched decisions are used when present)."""
        return next((d for d in self.decisions.all() if d.stage == stage), None)

    @property
    def arrest(self) -> Decision | None:
        return self.decision(Decision.Stage.ARREST)

    @property
    def prosecution(self) -> Decision | None:
        return self.decision(Decision.Stage.PROSECUTION)


def age_at(person: Person, on: date) -> int | None:
    """The person's age in 周岁 on the day `on` (None for a birth date after it)."""
    return idnumber.age_or_none(person.birth_date, on)


class Decision(models.Model):
    """The procuratorate's decision on a suspect: on arrest, or on prosecution."""

    class Kind(models.TextChoices):
        ARREST = "arrest", _("arrest approved (批准逮捕)")
        NO_ARREST = "no_arrest", _("arrest not approved (不批准逮捕)")
        PROSECUTE = "prosecute", _("prosecuted (提起公诉)")
        NOT_PROSECUTE = "not_prosecute", _("not prosecuted (不起诉)")
        CONDITIONAL = "conditional", _("conditional non-prosecution (附条件不起诉)")

    class Stage(models.TextChoices):
        ARREST = "arrest", _("arrest review")
        PROSECUTION = "prosecution", _("prosecution review")

    STAGE_OF = {
        Kind.ARREST: Stage.ARREST,
        Kind.NO_ARREST: Stage.ARREST,
        Kind.PROSECUTE: Stage.PROSECUTION,
        Kind.NOT_PROSECUTE: Stage.PROSECUTION,
        Kind.CONDITIONAL: Stage.PROSECUTION,
    }

    suspect = models.ForeignKey(
        Suspect, verbose_name=_("suspect"), on_delete=models.CASCADE, related_name="decisions"
    )
    kind = models.CharField(_("decision"), max_length=20, choices=Kind.choices)
    stage = models.CharField(_("stage"), max_length=20, choices=Stage.choices, editable=False)
    decided_on = models.DateField(_("decided on"))

    class Meta:
        verbose_name = _("decision")
        verbose_name_plural = _("decisions")
        ordering = ["suspect", "decided_on", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["suspect", "stage"], name="crimes_one_decision_per_stage"
            ),
        ]
        indexes = [models.Index(fields=["kind", "decided_on"], name="crimes_decision_kind_on")]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.decided_on:%Y-%m-%d}"

    def save(self, *args: object, **kwargs: object) -> None:
        self.stage = self.STAGE_OF[self.Kind(self.kind)]
        super().save(*args, **kwargs)  # type: ignore[arg-type]


class VictimQuerySet(models.QuerySet["Victim"]):
    def for_user(self, user: User) -> VictimQuerySet:
        return self.filter(case__in=Case.objects.for_user(user).values("pk"))


class Victim(models.Model):
    """A victim of a case: a person of the people register, or only an age and a sex."""

    case = models.ForeignKey(
        Case, verbose_name=_("criminal case"), on_delete=models.CASCADE, related_name="victims"
    )
    person = models.ForeignKey(
        Person,
        verbose_name=pgettext_lazy("victim", "person"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="criminal_victimisations",
    )
    sex = models.CharField(_("sex"), max_length=1, choices=Sex.choices)
    age = models.PositiveSmallIntegerField(_("age at the offence (周岁)"))
    minor = models.BooleanField(_("minor"), default=True, editable=False)
    offence = models.CharField(
        _("offence against the victim"), max_length=30, choices=Offence.choices
    )
    offence_group = models.CharField(
        _("offence group"), max_length=20, choices=OffenceGroup.choices, editable=False
    )
    referral = models.ForeignKey(
        "casework.Referral",
        verbose_name=_("referral"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        editable=False,
    )

    objects = VictimQuerySet.as_manager()

    class Meta:
        verbose_name = _("victim")
        verbose_name_plural = _("victims")
        ordering = ["case", "pk"]
        indexes = [models.Index(fields=["minor", "offence_group"], name="crimes_victim_group")]

    def __str__(self) -> str:
        return f"{self.case.number} · {self.get_sex_display()} {self.age}"

    def save(self, *args: object, **kwargs: object) -> None:
        self.minor = self.age < ADULT_AGE
        self.offence_group = offence_group_of(self.offence)
        super().save(*args, **kwargs)  # type: ignore[arg-type]
