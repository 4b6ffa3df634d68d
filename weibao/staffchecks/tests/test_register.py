"""Register imports: police and procuratorate only, all or nothing, audited with counts."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied

from weibao.accounts.models import User
from weibao.audit.models import AuditEvent
from weibao.kit import crypto
from weibao.staffchecks import services
from weibao.staffchecks.matching import normalise_name
from weibao.staffchecks.models import OffenderRecord, RegisterImport
from weibao.testing import id_for

HEADER = ["Name", "ID number", "Birth date", "Categories"]


def test_import_parses_15_digit_numbers_and_categories(
    police: User, make_xlsx: Callable[..., Any]
) -> None:
    number = id_for(date(1975, 6, 1), 321)
    old = number[:6] + number[8:17]  # the legacy 15-digit form
    file = make_xlsx(
        HEADER,
        [
            ["赵 〇", old, "", "sexual, abuse"],
            ["钱二", "", "1980-02-02", "拐卖"],
        ],
    )
    batch = services.register_import(actor=police, upload=file)
    assert batch.rows == 2
    first = OffenderRecord.objects.get(name_key=normalise_name("赵零"))
    assert first.id_hash == crypto.blind_index(number)
    assert first.id_number == number
    assert first.birth_date == date(1975, 6, 1)
    assert first.categories == "sexual,abuse"
    second = OffenderRecord.objects.get(birth_date=date(1980, 2, 2))
    assert (second.id_hash, second.categories) == ("", "trafficking")
    event = AuditEvent.objects.get(target_type="staffchecks.registerimport")
    assert event.detail["rows"] == 2 and event.actor == police


def test_bad_rows_import_nothing(police: User, make_xlsx: Callable[..., Any]) -> None:
    file = make_xlsx(
        HEADER,
        [
            ["孙三", id_for(date(1970, 1, 1), 1), "", "sexual"],
            ["", "12345", "", "theft"],
            ["李四", "", "", "abuse"],
        ],
    )
    with pytest.raises(services.RegisterFileError) as info:
        services.register_import(actor=police, upload=file)
    found = {(e.row, e.column) for e in info.value.row_errors}
    assert found == {(3, "Name"), (3, "ID number"), (3, "Categories"), (4, "Birth date")}
    assert not OffenderRecord.objects.exists() and not RegisterImport.objects.exists()


def test_schools_and_the_bureau_may_not_import(
    admin_a: User, edu_user: User, coordinator: User, make_xlsx: Callable[..., Any]
) -> None:
    for user in (admin_a, edu_user):
        file = make_xlsx(HEADER, [["孙三", id_for(date(1970, 1, 1), 1), "", "sexual"]])
        with pytest.raises(PermissionDenied):
            services.register_import(actor=user, upload=file)
    assert not OffenderRecord.objects.exists()
    # The county coordinator sits in the procuratorate: a register holder.
    file = make_xlsx(HEADER, [["孙三", id_for(date(1970, 1, 1), 1), "", "sexual"]])
    services.register_import(actor=coordinator, upload=file)
    assert OffenderRecord.objects.count() == 1
