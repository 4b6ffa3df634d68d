"""The register of people barred from work with children: the police's and the
procuratorate's import.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, pgettext_lazy

from weibao.accounts.models import User
from weibao.audit.models import AuditEvent
from weibao.audit.services import record
from weibao.kit import crypto, spreadsheets
from weibao.kit.guards import require_perm
from weibao.kit.spreadsheets import Column
from weibao.lib import idnumber
from weibao.staffchecks.matching import normalise_name
from weibao.staffchecks.models import (
    OffenderRecord,
    RegisterImport,
)
from weibao.staffchecks.services._common import (
    RegisterFileError,
    _choice_lookup,
    _clean_name,
    _parse_date,
)

REGISTER_COLUMNS = (
    Column("name", pgettext_lazy("person", "Name"), example="李四", width=12, person_name=True),
    Column("id_number", gettext_lazy("ID number"), required=False, width=22, code=True),
    Column(
        "birth_date", gettext_lazy("Birth date"), required=False, example="1980-02-02", date=True
    ),
    Column("categories", gettext_lazy("Categories"), example="sexual", width=30),
)

CATEGORY_ALIASES = {
    "性侵害": "sexual", "性侵": "sexual", "猥亵": "sexual", "强奸": "sexual", "虐待": "abuse",
    "拐卖": "trafficking", "暴力伤害": "violence", "暴力": "violence",
}  # fmt: skip


# The register -------------------------------------------------------------------------------


@dataclass(frozen=True)
class RegisterRow:
    name: str
    number: str
    birth_date: date
    categories: str


def _register_row_checker(today: date) -> Callable[[dict[str, str]], RegisterRow]:
    categories = _choice_lookup(OffenderRecord.Category.choices, CATEGORY_ALIASES)

    def check(texts: dict[str, str]) -> RegisterRow:
        errors: dict[str, list[str]] = {}
        name = number = ""
        birth: date | None = None
        try:
            name = _clean_name(texts.get("name", ""))
        except ValueError as exc:
            errors["name"] = [str(exc)]
        if texts.get("id_number"):
            try:
                parsed = idnumber.parse(texts["id_number"], today=today)
                number, birth = parsed.number, parsed.birth_date
            except ValueError as exc:
                errors["id_number"] = [str(exc)]
        if texts.get("birth_date"):
            try:
                given = idnumber.check_birth_date(_parse_date(texts["birth_date"]), today=today)
            except ValueError as exc:
                errors["birth_date"] = [str(exc)]
            else:
                if birth is not None and given != birth:
                    errors["birth_date"] = [
                        _("This does not match the ID number, which gives %(value)s.")
                        % {"value": birth}
                    ]
                birth = birth or given
        if birth is None and "id_number" not in errors and "birth_date" not in errors:
            errors["birth_date"] = [_("Give the ID number or the birth date.")]
        codes: list[str] = []
        for token in re.split(r"[,，、;；/\s]+", texts.get("categories", "")):
            if not token:
                continue
            code = categories.get(token.strip().lower())
            if code is None:
                errors.setdefault("categories", []).append(
                    _("Unknown category “%(value)s”.") % {"value": token}
                )
            elif code not in codes:
                codes.append(code)
        if not codes and "categories" not in errors:
            errors["categories"] = [_("Give at least one category.")]
        if errors:
            raise ValidationError(errors)
        assert birth is not None
        return RegisterRow(name, number, birth, ",".join(codes))

    return check


def register_import(*, actor: User, upload: Any) -> RegisterImport:
    """Import register records from Excel: every row is checked first, and a file with any bad
    row writes nothing (the error lists each row and column). Audited with the row count.

    The rows are validated by the row checker (then written in bulk); the import by
    `full_clean`."""
    require_perm(actor, "staffchecks.import_register")
    report = spreadsheets.validate_rows(
        upload, REGISTER_COLUMNS, _register_row_checker(timezone.localdate())
    )
    if report.errors:
        raise RegisterFileError(report.errors)
    now = timezone.now()
    batch = RegisterImport(
        organisation=actor.organisation,
        imported_by=actor,
        file_name=str(getattr(upload, "name", "") or "")[:200],
        rows=len(report.good),
        imported_at=now,
    )
    batch.full_clean()
    with transaction.atomic(durable=True):
        batch.save()
        OffenderRecord.objects.bulk_create(
            (
                OffenderRecord(
                    id_hash=crypto.blind_index(row.number) if row.number else "",
                    name_key=normalise_name(row.name),
                    birth_date=row.birth_date,
                    categories=row.categories,
                    name_encrypted=crypto.encrypt(row.name),
                    id_number_encrypted=crypto.encrypt(row.number),
                    source=batch,
                    imported_at=now,
                )
                for _number, row in report.good
            ),
            batch_size=1000,
        )
        record(
            AuditEvent.Action.UPLOAD,
            actor=actor,
            target=batch,
            target_repr=batch.file_name,
            section="register",
            rows=batch.rows,
        )
    return batch
