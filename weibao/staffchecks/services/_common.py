"""Helpers the topics of staff checks' services share: parsing, the batch counts, recipients."""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator, Sequence
from datetime import date
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db.models import Count, QuerySet
from django.utils import translation
from django.utils.translation import gettext as _

from weibao.accounts.models import Role, User
from weibao.kit import crypto
from weibao.kit.spreadsheets import RowError
from weibao.staffchecks.matching import normalise_name
from weibao.staffchecks.models import (
    REGISTER_KINDS,
    REGISTER_STAFF_ROLES,
    CheckBatch,
    CheckItem,
    CheckItemQuerySet,
    StaffMember,
)

RUN_JOB_KIND = "staffchecks_run"
MIN_PURPOSE_LENGTH = 4
DATE_RE = re.compile(r"^(\d{4})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})\s*日?$")


def action_due_days() -> int:
    """Days a unit has to record what it did about a barring result (a setting)."""
    return int(getattr(settings, "STAFFCHECKS_ACTION_DUE_DAYS", 15))


def _choice_lookup(
    choices: Iterable[tuple[str, Any]], aliases: dict[str, str] | None = None
) -> dict[str, str]:
    """Code, English label, Chinese label (lower case) and the usual words -> code."""
    pairs = list(choices)
    lookup: dict[str, str] = {}
    for language in ("en", "zh-hans"):
        with translation.override(language):
            lookup.update({str(label).strip().lower(): code for code, label in pairs})
    lookup.update({str(code).lower(): code for code, _label in pairs})
    lookup.update(aliases or {})
    lookup.pop("", None)
    return lookup


def _parse_date(text: str) -> date:
    text = text.strip()
    if len(text) == 8 and text.isdigit():
        text = f"{text[:4]}-{text[4:6]}-{text[6:]}"
    match = DATE_RE.match(text.split(" ")[0] if " " in text and ":" in text else text)
    if not match:
        raise ValueError(_("Write the date as YYYY-MM-DD, such as 2024-09-01."))
    try:
        return date(int(match[1]), int(match[2]), int(match[3]))
    except ValueError:
        raise ValueError(_("%(date)s is not a real date.") % {"date": text}) from None


def _clean_name(text: str) -> str:
    name = " ".join((text or "").split())
    if not name:
        raise ValueError(_("The name is required."))
    if len(name) > 50:
        raise ValueError(_("The name is longer than 50 characters."))
    return name


def _clean_purpose(text: str) -> str:
    purpose = " ".join((text or "").split())
    if len(purpose) < MIN_PURPOSE_LENGTH:
        raise ValidationError(
            {"purpose": [_("State the purpose in at least %(n)d characters.") % {"n": 4}]}
        )
    return purpose


def _chunks(items: Sequence[Any], size: int = 900) -> Iterator[Sequence[Any]]:
    for start in range(0, len(items), size):
        yield items[start : start + size]


class RegisterFileError(ValidationError):
    """A register (or applicants) file with bad rows; `errors` has each row and column."""

    def __init__(self, errors: list[RowError]) -> None:
        super().__init__(
            {"file": [_("The file has %(n)d problems; nothing was imported.") % {"n": len(errors)}]}
        )
        self.row_errors = errors


def _item_for_staff(batch: CheckBatch, staff: StaffMember) -> CheckItem:
    person = staff.person
    return CheckItem(
        batch=batch,
        staff=staff,
        id_hash=person.id_number_hash,
        name_key=normalise_name(person.name),
        birth_date=person.birth_date,
        name_encrypted=crypto.encrypt(person.name),
        id_number_encrypted=person.id_number_encrypted,
    )


def _refresh_counts(batch: CheckBatch) -> None:
    """Recount a request's results (kept on it for the lists); inside the caller's transaction."""
    by_result = dict(
        batch.items.values_list("result").annotate(n=Count("pk")).values_list("result", "n")
    )
    R = CheckItem.Result
    # Items without a finding are clear once the request is done, and pending until then.
    unfound = by_result.get(R.QUEUED, 0)
    done = batch.status == CheckBatch.Status.DONE
    batch.total = sum(by_result.values())
    batch.clear_count = by_result.get(R.CLEAR, 0) + (unfound if done else 0)
    batch.barred_count = by_result.get(R.BARRED, 0)
    batch.pending_count = by_result.get(R.POSSIBLE, 0) + (0 if done else unfound)
    batch.save(update_fields=["total", "clear_count", "barred_count", "pending_count"])


def _update_staff_dates(items: CheckItemQuerySet, today: date) -> None:
    """Keep the roster's "last checked" and "first clear" dates for the compliance counts."""
    clear = items.cleared()
    final = clear | items.filter(result=CheckItem.Result.BARRED)
    StaffMember.objects.filter(pk__in=final.values("staff_id")).update(last_checked_on=today)
    StaffMember.objects.filter(
        pk__in=clear.values("staff_id"), first_cleared_on__isnull=True
    ).update(first_cleared_on=today)


# The unit's own people told about its checks: those who act for it (not read-only users).
UNIT_RECIPIENT_ROLES = (Role.UNIT_ADMIN, Role.CAMPUS_LIAISON, Role.CASE_WORKER)


def _unit_users(unit_id: int) -> QuerySet[User]:
    return User.objects.filter(
        organisation_id=unit_id, is_active=True, role__in=UNIT_RECIPIENT_ROLES
    )


def register_users() -> QuerySet[User]:
    """The register's holders to tell about possible matches (not the county coordinator)."""
    return User.objects.filter(
        is_active=True, organisation__kind__in=REGISTER_KINDS, role__in=REGISTER_STAFF_ROLES
    )
