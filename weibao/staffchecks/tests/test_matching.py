"""The matching rules: names, ID numbers in their many spellings, exact and possible matches."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date

import pytest

from weibao.accounts.models import User
from weibao.kit import crypto
from weibao.lib import idnumber
from weibao.staffchecks import matching, services
from weibao.staffchecks.matching import normalise_name
from weibao.staffchecks.models import (
    CheckBatch,
    CheckItem,
    MatchDecision,
    OffenderRecord,
    StaffMember,
)
from weibao.testing import County, id_for


@pytest.mark.parametrize(
    ("typed", "stored"),
    [
        ("张 三", "张三"),
        ("张\u3000三", "张三"),
        (" 张三 ", "张三"),
        ("阿卜杜·热合曼", "阿卜杜热合曼"),
        ("阿卜杜.热合曼", "阿卜杜热合曼"),
        ("阿卜杜・热合曼", "阿卜杜热合曼"),
        ("阿卜杜•热合曼", "阿卜杜热合曼"),
        ("李〇", "李零"),
        ("李○", "李零"),
        ("ＷＡＮＧ　Ｌｉ", "wangli"),
    ],
)
def test_name_variants_normalise_alike(typed: str, stored: str) -> None:
    assert normalise_name(typed) == normalise_name(stored)


def test_different_names_stay_different() -> None:
    assert normalise_name("张三") != normalise_name("张山")


def test_id_hash_is_the_same_for_every_spelling() -> None:
    number = idnumber.make("361025", date(1985, 3, 15), 12)
    base = number[:17]
    # Find a number whose check character is X, to test the lower-case x.
    x_number = next(
        n for seq in range(1000)
        if (n := idnumber.make("361025", date(1985, 3, 15), seq)).endswith("X")
    )  # fmt: skip
    assert matching.id_hash(x_number.lower()) == matching.id_hash(x_number)
    fullwidth = number.translate({ord(c): ord(c) + 0xFEE0 for c in "0123456789X"})
    assert matching.id_hash(fullwidth) == matching.id_hash(number)
    assert base  # the 18-character number from a 15-digit one:
    old = "361025" + "850315" + "012"
    assert matching.id_hash(old) == crypto.blind_index(idnumber.parse(old).number)
    assert idnumber.parse(old).number.startswith("36102519850315012")


def _batch_with(unit: County, staff: list[StaffMember], actor: User) -> CheckBatch:
    return services.batch_create(
        actor=actor,
        unit=unit.school_a,
        kind=CheckBatch.Kind.NEW_HIRE,
        consent_confirmed=True,
        staff=staff,
    )


def test_exact_possible_and_clear(
    county: County,
    admin_a: User,
    roster_a: list[StaffMember],
    add_record: Callable[..., object],
) -> None:
    exact, possible, clear = roster_a
    # Exact: the register holds the old 15-digit form of the same number.
    number = exact.person.id_number
    add_record("某某", number[:6] + number[8:17], exact.person.birth_date)
    # Possible: same name (written with a space) and birth date, another ID number.
    other = id_for(possible.person.birth_date, 900)
    add_record("王 芳", other, possible.person.birth_date)
    # Same name, another birth date: not a match.
    add_record("李娜", "", date(1970, 1, 1))
    batch = _batch_with(county, roster_a, admin_a)
    counts = matching.match_batch(batch.pk)
    assert (counts.exact, counts.possible) == (1, 1)
    results = {i.staff_id: (i.result, i.match_kind) for i in batch.items.all()}
    assert results[exact.pk] == (CheckItem.Result.BARRED, CheckItem.MatchKind.EXACT)
    assert results[possible.pk] == (CheckItem.Result.POSSIBLE, CheckItem.MatchKind.POSSIBLE)
    # No finding: nothing written; pending while the request is not done, clear once it is.
    assert results[clear.pk] == (CheckItem.Result.QUEUED, "")
    assert batch.items.get(staff=clear).unit_result == "pending"
    assert not batch.items.cleared().exists()
    services.batches_run(actor=admin_a, batch_ids=[batch.pk])
    batch.refresh_from_db()
    assert batch.status == CheckBatch.Status.DONE
    assert [i.staff_id for i in batch.items.cleared()] == [clear.pk]
    outcomes = {i.staff_id: i.unit_result for i in batch.items.all()}
    assert outcomes == {exact.pk: "barred", possible.pk: "pending", clear.pk: "clear"}
    assert (batch.clear_count, batch.barred_count, batch.pending_count) == (1, 1, 1)


def test_same_id_and_name_is_exact_not_possible(
    county: County, admin_a: User, roster_a: list[StaffMember], add_record: Callable[..., object]
) -> None:
    staff = roster_a[0]
    add_record(staff.person.name, staff.person.id_number.lower(), staff.person.birth_date)
    batch = _batch_with(county, [staff], admin_a)
    counts = matching.match_batch(batch.pk)
    assert (counts.exact, counts.possible) == (1, 0)


def test_matching_twice_changes_nothing(
    county: County, admin_a: User, roster_a: list[StaffMember], add_record: Callable[..., object]
) -> None:
    add_record("x", roster_a[0].person.id_number, roster_a[0].person.birth_date)
    batch = _batch_with(county, roster_a, admin_a)
    matching.match_batch(batch.pk)
    before = list(batch.items.values_list("pk", "result", "matched_record", "checked_at"))
    again = matching.match_batch(batch.pk)
    assert (again.exact, again.possible) == (0, 0)
    assert list(batch.items.values_list("pk", "result", "matched_record", "checked_at")) == before


def _check_and_decide(
    county: County, admin_a: User, police: User, staff: StaffMember, *, barred: bool
) -> CheckItem:
    """A first check raises a possible match; the police decide it."""
    batch = _batch_with(county, [staff], admin_a)
    matching.match_batch(batch.pk)
    item = batch.items.get()
    assert item.result == CheckItem.Result.POSSIBLE
    services.item_confirm(actor=police, item=item, barred=barred)
    return item


def test_a_cleared_possible_match_is_not_raised_again(
    county: County,
    admin_a: User,
    police: User,
    roster_a: list[StaffMember],
    add_record: Callable[..., OffenderRecord],
) -> None:
    staff = roster_a[1]
    add_record("王芳", id_for(staff.person.birth_date, 900), staff.person.birth_date)
    _check_and_decide(county, admin_a, police, staff, barred=False)
    assert MatchDecision.objects.get().same_person is False
    # Next year's check: the same pair is not sent to the police again.
    later = _batch_with(county, [staff], admin_a)
    counts = matching.match_batch(later.pk)
    assert (counts.exact, counts.possible) == (0, 0)
    assert later.items.get().result == CheckItem.Result.QUEUED  # no finding
    # A new register record with the same name and birth date is another question: it is raised.
    newer = add_record("王芳", id_for(staff.person.birth_date, 901), staff.person.birth_date)
    third = _batch_with(county, [staff], admin_a)
    assert matching.match_batch(third.pk).possible == 1
    assert third.items.get().matched_record == newer


def test_a_confirmed_match_bars_at_the_next_check_without_asking_again(
    county: County,
    admin_a: User,
    police: User,
    roster_a: list[StaffMember],
    add_record: Callable[..., OffenderRecord],
) -> None:
    staff = roster_a[1]
    record = add_record("王芳", id_for(staff.person.birth_date, 900), staff.person.birth_date)
    _check_and_decide(county, admin_a, police, staff, barred=True)
    later = _batch_with(county, [staff], admin_a)
    counts = matching.match_batch(later.pk)
    assert (counts.exact, counts.possible) == (1, 0)
    item = later.items.get()
    assert item.result == CheckItem.Result.BARRED and item.matched_record == record
    assert item.confirmed_by == police  # the earlier confirmation, carried over
    assert not CheckItem.objects.possible_for_police(police).exists()
    # The decision goes with the record: once it leaves the register, nothing is remembered.
    record.delete()
    assert not MatchDecision.objects.exists()
    last = _batch_with(county, [staff], admin_a)
    counts = matching.match_batch(last.pk)
    assert (counts.exact, counts.possible) == (0, 0)
    assert last.items.get().result == CheckItem.Result.QUEUED  # no finding
