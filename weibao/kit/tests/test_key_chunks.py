"""in_key_chunks: every row in key order, one bounded query per chunk."""

from __future__ import annotations

from operator import itemgetter

from weibao.accounts.models import Division
from weibao.kit.querysets import in_key_chunks


def _divisions(count: int) -> list[int]:
    Division.objects.bulk_create(
        Division(code=f"3610259{n:05d}", name=f"村{n}", level=Division.Level.VILLAGE)
        for n in range(count)
    )
    return list(Division.objects.order_by("pk").values_list("pk", flat=True))


def test_every_row_in_key_order(db: None, django_assert_num_queries) -> None:
    keys = _divisions(25)
    with django_assert_num_queries(3):  # 10 + 10 + 5: the short chunk ends it
        assert [d.pk for d in in_key_chunks(Division.objects.all(), size=10)] == keys


def test_an_exact_multiple_takes_one_empty_query(db: None, django_assert_num_queries) -> None:
    keys = _divisions(20)
    with django_assert_num_queries(3):
        assert [d.pk for d in in_key_chunks(Division.objects.all(), size=10)] == keys


def test_after_and_values_list_rows(db: None) -> None:
    keys = _divisions(12)
    rows = Division.objects.values_list("name", "pk")
    found = in_key_chunks(rows, key="pk", after=keys[4], size=5, value_of=itemgetter(1))
    assert [pk for _name, pk in found] == keys[5:]


def test_by_another_unique_key(db: None) -> None:
    _divisions(7)
    codes = [
        d.code
        for d in in_key_chunks(Division.objects.filter(code__gt="3610259"), key="code", size=3)
    ]
    assert codes == sorted(codes) and len(codes) == 7
