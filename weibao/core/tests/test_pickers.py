"""The pick view (`pick/<name>/?q=`): scoped matches, searched by pinyin, initials and ID number.

A liaison of school A finds school A's pupils and never school B's; an outsider finds nobody;
an anonymous visitor is sent to the login page; a text too short, or an unknown picker, gives
nothing. The view answers in a fixed number of queries, however many match.
"""

from __future__ import annotations

from datetime import date

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from weibao.audit.models import AuditEvent
from weibao.core.contract import contracts
from weibao.kit.pickers import LIMIT, by_name
from weibao.lib.pinyin import name_pinyin
from weibao.people.models import Person
from weibao.testing import County, id_for

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("english")]

TODAY = date(2026, 5, 11)


@pytest.fixture(autouse=True)
def _today():
    with time_machine.travel(TODAY, tick=False):
        yield


def person(name: str, school, *, seq: int, born: date = date(2013, 3, 4), **extra) -> Person:
    full, initials = name_pinyin(name)
    found = Person(
        name=name,
        name_pinyin=full,
        name_initials=initials,
        sex="M",
        birth_date=born,
        school=school,
        registered_by=school,
        **extra,
    )
    found.set_id_number(id_for(born, seq))
    found.save()
    return found


def pick(client, name: str, q: str, **params):
    return client.get(reverse("core:pick", kwargs={"name": name}), {"q": q, **params})


def values(response) -> list[int]:
    html = response.content.decode()
    import re

    return [int(v) for v in re.findall(r'data-value="(\d+)"', html)]


@pytest.fixture
def pupils(county: County) -> tuple[Person, Person]:
    a = person("张小明", county.school_a, seq=11, grade="七年级", class_name="2班")
    b = person("张小红", county.school_b, seq=12)
    return a, b


def test_a_liaison_finds_own_pupils_only(client_for, liaison_a, pupils) -> None:
    a, _b = pupils
    response = pick(client_for(liaison_a), "person", "zhang")
    assert response.status_code == 200
    assert values(response) == [a.pk]
    html = response.content.decode()
    assert "张*明" in html and "张小明" not in html  # masked, as every list masks names
    assert "鳌溪镇中心小学" in html and "七年级2班" in html and "age 13" in html


def test_the_other_school_finds_its_own(client_for, liaison_b, pupils) -> None:
    _a, b = pupils
    assert values(pick(client_for(liaison_b), "person", "zx")) == [b.pk]


def test_an_outsider_finds_nobody(client_for, outsider, pupils) -> None:
    for name in ("person", "minor", "atrisk-person"):
        response = pick(client_for(outsider), name, "zhang")
        assert response.status_code == 200 and values(response) == []
        assert "张" not in response.content.decode()


def test_anonymous_is_sent_to_log_in(client, pupils) -> None:
    response = pick(client, "person", "zhang")
    assert response.status_code == 302 and "/login" in response["Location"]


def test_unknown_picker_is_404(client_for, liaison_a) -> None:
    assert pick(client_for(liaison_a), "nobody", "zhang").status_code == 404


def test_search_by_initials_name_and_pinyin(client_for, liaison_a, pupils) -> None:
    a, _b = pupils
    client = client_for(liaison_a)
    assert values(pick(client, "person", "zxm")) == [a.pk]
    assert values(pick(client, "person", "小明")) == [a.pk]
    assert values(pick(client, "person", "xiaoming")) == [a.pk]
    assert values(pick(client, "person", "lisi")) == []


def test_search_by_whole_id_number_is_audited(client_for, liaison_a, pupils) -> None:
    a, b = pupils
    client = client_for(liaison_a)
    assert values(pick(client, "person", a.id_number)) == [a.pk]
    assert values(pick(client, "person", b.id_number)) == []  # another school's pupil
    assert AuditEvent.objects.filter(action=AuditEvent.Action.SEARCH).count() == 2


def test_a_text_too_short_gives_nothing(client_for, liaison_a, pupils) -> None:
    client = client_for(liaison_a)
    assert values(pick(client, "person", "z")) == []
    assert values(pick(client, "person", "  ")) == []
    assert "No matches" not in pick(client, "person", "z").content.decode()
    assert "No matches" in pick(client, "person", "qq").content.decode()


def test_minors_only_for_the_minor_picker(client_for, liaison_a, county) -> None:
    child = person("李小华", county.school_a, seq=21)
    adult = person("李大华", county.school_a, seq=22, born=date(1990, 1, 1))
    client = client_for(liaison_a)
    assert set(values(pick(client, "person", "li"))) == {child.pk, adult.pk}
    assert values(pick(client, "minor", "li")) == [child.pk]


def test_at_most_the_limit_and_a_fixed_number_of_queries(client_for, liaison_a, county) -> None:
    for seq in range(LIMIT + 5):
        person("王小明", county.school_a, seq=100 + seq)
    client = client_for(liaison_a)
    pick(client, "person", "wang")  # the session and the user, once
    with CaptureQueriesContext(connection) as few:
        response = pick(client, "person", "wang")
    assert len(values(response)) == LIMIT
    assert "type more" in response.content.decode()
    for seq in range(20):
        person("王小明", county.school_a, seq=200 + seq)
    with CaptureQueriesContext(connection) as more:
        pick(client, "person", "wang")
    # session, user, two OTP devices, the scope (unit, units below), the matches
    assert len(more.captured_queries) == len(few.captured_queries) <= 7


def test_units_by_name(client_for, liaison_a, county) -> None:
    client = client_for(liaison_a)
    assert values(pick(client, "unit", "派出所")) == [county.police_a.pk]
    # the referral picker offers agencies, not schools
    assert values(pick(client, "unit-referral", "小学")) == []
    assert county.police_a.pk in values(pick(client, "unit-referral", "鳌溪"))


def test_the_audit_unit_picker_is_for_auditors(client_for, auditor, liaison_a, county) -> None:
    assert values(pick(client_for(auditor), "audit-unit", "宾馆")) == [county.hotel.pk]
    assert values(pick(client_for(liaison_a), "audit-unit", "宾馆")) == []


def test_divisions_by_name_and_township(client_for, liaison_a, county) -> None:
    client = client_for(liaison_a)
    assert values(pick(client, "division", "鳌溪村")) == [county.village_a.pk]
    assert county.village_a.pk in values(pick(client, "division", "鳌溪镇"))


def test_picker_names_are_unique() -> None:
    pickers = [p for app in contracts() for p in app.contract.pickers]
    assert len(by_name(pickers)) == len(pickers)
    assert {"person", "minor", "school", "unit", "division", "atrisk-person"} <= set(
        by_name(pickers)
    )


@pytest.mark.parametrize(
    "name", sorted(p.name for app in contracts() for p in app.contract.pickers)
)
def test_every_picker_refuses_anonymous_and_tells_outsiders_nothing(
    client, client_for, outsider, liaison_b, pupils, name
) -> None:
    assert pick(client, name, "zhang").status_code == 302
    for user in (outsider, liaison_b):
        for q in ("zhang", "张小明", "zxm", pupils[0].id_number):
            html = pick(client_for(user), name, q).content.decode()
            assert "张*明" not in html and "张小明" not in html


def test_narrow_only_narrows_the_scope(liaison_a, county, pupils) -> None:
    """A picker's URL parameters (a form's own limits) narrow its scoped records, never widen."""
    from weibao.people.weibao_app import PERSON_PICKER

    by_school = PERSON_PICKER.variant(
        "test-by-school",
        PERSON_PICKER.queryset,
        narrow=lambda people, params: people.filter(school_id=int(params["school"])),
    )
    a, _b = pupils
    assert by_school.matches(liaison_a, "zhang", params={"school": str(county.school_a.pk)}) == [a]
    assert by_school.matches(liaison_a, "zhang", params={"school": str(county.school_b.pk)}) == []


def test_the_widget_shows_the_chosen_only(liaison_a, county, pupils) -> None:
    from django import forms

    from weibao.kit.pickers import PickerMultipleWidget
    from weibao.people.weibao_app import PERSON_PICKER

    a, b = pupils
    field = forms.ModelMultipleChoiceField(
        queryset=PERSON_PICKER.queryset(liaison_a), widget=PickerMultipleWidget(PERSON_PICKER)
    )
    html = field.widget.render("people", [str(a.pk), str(b.pk), "x"])  # b: outside the scope
    assert html.count("picker-chip") == 1 and f'value="{a.pk}"' in html
    assert f'value="{b.pk}"' not in html and "<option" not in html
    assert 'hx-get="/pick/person/"' in html
