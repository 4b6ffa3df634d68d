"""Private helpers the topics share: constants, reasons, the worker's notice, warnings."""

from __future__ import annotations

from datetime import date
from typing import Any

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from weibao.accounts.models import Organisation
from weibao.atrisk.models import (
    AtRiskFile,
    GradingRuleSet,
    Measure,
    RiskWarning,
)
from weibao.kit.messages import Message
from weibao.lib import idnumber
from weibao.people.models import Person

MIN_REASON_LENGTH = 4


RETURN_WINDOW_DAYS = 365  # a new event this soon after a closure raises a warning


REVIEW_EVERY_DAYS = 120  # about a school term


SCHEDULER = "atrisk_nightly"


K = Organisation.Kind


C = Measure.Category


def _clean_reason(text: str, field: str) -> str:
    reason = " ".join((text or "").split())
    if len(reason) < MIN_REASON_LENGTH:
        raise ValidationError(
            {
                field: [
                    _("State the reason in at least %(n)d characters.") % {"n": MIN_REASON_LENGTH}
                ]
            }
        )
    return reason


def _repr(file: AtRiskFile) -> str:
    return f"{_('at-risk file')} {file.pk} {file.person.masked_name}"


def active_rules() -> GradingRuleSet:
    return GradingRuleSet.objects.active()


def _township_of(person: Person) -> Any:
    division = person.division
    while division is not None and division.level > division.Level.TOWNSHIP:
        division = division.parent
    return division if division is not None and division.level == division.Level.TOWNSHIP else None


def _notify(file: AtRiskFile, title: Message, kind: str) -> None:
    """Tell the responsible worker (no child's name: the link checks who may see the file)."""
    from weibao.core.services import notify

    if file.worker is not None:
        notify(recipients=[file.worker], title=title, link=file.get_absolute_url(), kind=kind)


def _warn(
    file: AtRiskFile, kind: str, *, key: str, detail: str, args: dict[str, str | int]
) -> RiskWarning | None:
    """Raise a warning once (the key makes nightly runs idempotent) and tell the worker.
    `detail` is a message id (gettext_noop) and `args` its values: translated when shown."""
    warning, created = RiskWarning.objects.get_or_create(
        file=file, kind=kind, key=key[:60], defaults={"detail": detail, "detail_args": args}
    )
    if not created:
        return None
    _notify(
        file,
        Message(
            gettext_noop("At-risk warning: %(kind)s (file %(n)d)"),
            {"kind": RiskWarning.Kind(warning.kind).label, "n": file.pk},
        ),
        kind="atrisk_warning",
    )
    return warning


def _check_minor(person: Person, on: date, field: str) -> None:
    if on < person.birth_date or idnumber.age_on(person.birth_date, on) >= idnumber.ADULT_AGE:
        raise ValidationError(
            {
                field: [
                    _("%(name)s is not a minor on %(day)s.")
                    % {"name": person.masked_name, "day": on.isoformat()}
                ]
            }
        )
