"""Every form that chooses a person, school, unit, user or village uses a picker: its HTML holds
the chosen record only (never an option per choosable record), and the field still refuses a
record outside its scoped queryset when the form is sent.

One case per replaced field: (form factory, field, the record in scope, one outside it).
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from typing import Any

import pytest
import time_machine
from django import forms

from weibao.accounts.models import Division, Organisation, Role, User
from weibao.atrisk import forms as atrisk_forms
from weibao.atrisk.models import AtRiskFile
from weibao.audit import forms as audit_forms
from weibao.casework import forms as casework_forms
from weibao.education import forms as education_forms
from weibao.legalvp import forms as legalvp_forms
from weibao.lib.pinyin import name_pinyin
from weibao.people.models import Person
from weibao.schools import forms as schools_forms
from weibao.schools.models import School
from weibao.staffchecks import forms as staffchecks_forms
from weibao.testing import County, id_for, make_user

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("english")]

TODAY = date(2026, 5, 11)


@pytest.fixture(autouse=True)
def _today():
    with time_machine.travel(TODAY, tick=False):
        yield


def make_person(name: str, school: Organisation, seq: int, born: date = date(2013, 3, 4)) -> Person:
    full, initials = name_pinyin(name)
    person = Person(
        name=name,
        name_pinyin=full,
        name_initials=initials,
        sex="M",
        birth_date=born,
        school=school,
        registered_by=school,
    )
    person.set_id_number(id_for(born, seq))
    person.save()
    return person


@dataclass
class World:
    county: County
    liaison_a: User
    bureau: User
    police_user: User
    pupils: list[Person]
    pupil_b: Person
    school_a: School
    closed: School
    closed_unit: Organisation


@pytest.fixture
def world(county: County, liaison_a: User) -> World:
    pupils = [make_person("王小明", county.school_a, seq) for seq in range(30)]
    pupil_b = make_person("赵小红", county.school_b, 99)
    school_a = School.objects.create(organisation=county.school_a, kind=School.Kind.PRIMARY)
    School.objects.create(organisation=county.school_b, kind=School.Kind.JUNIOR)
    gone = Organisation.objects.create(
        name="已撤并小学",
        kind=Organisation.Kind.SCHOOL_PRIMARY,
        division=county.village_a,
        is_active=False,
    )
    closed = School.objects.create(organisation=gone, kind=School.Kind.PRIMARY, closed_on=TODAY)
    return World(
        county=county,
        liaison_a=liaison_a,
        bureau=make_user("bureau", county.education, Role.UNIT_ADMIN),
        police_user=make_user("police_staff", county.police_a, Role.CASE_WORKER),
        pupils=pupils,
        pupil_b=pupil_b,
        school_a=school_a,
        closed=closed,
        closed_unit=gone,
    )


@dataclass
class Case:
    form: Callable[[World, Any], forms.BaseForm]  # (world, data) -> form
    field: str
    inside: Callable[[World], Any] | None  # None: nothing in scope in this world
    outside: Callable[[World], Any] | None  # None: the field takes every record


def _atrisk_unit(w: World) -> Organisation:
    return w.county.police_a


CASES: dict[str, Case] = {
    "atrisk event people": Case(
        lambda w, d: atrisk_forms.EventForm(d, user=w.liaison_a),
        "people",
        lambda w: w.pupils[0],
        lambda w: w.pupil_b,
    ),
    "atrisk event share_with": Case(
        lambda w, d: atrisk_forms.EventForm(d, user=w.liaison_a),
        "share_with",
        _atrisk_unit,
        lambda w: w.county.hotel,
    ),
    "atrisk open file": Case(
        lambda w, d: atrisk_forms.OpenFileForm(d, user=w.liaison_a),
        "person",
        lambda w: w.pupils[0],
        lambda w: w.pupil_b,
    ),
    "atrisk assign": Case(
        lambda w, d: atrisk_forms.AssignForm(d, user=w.liaison_a),
        "worker",
        lambda w: w.liaison_a,
        lambda w: w.police_user,
    ),
    "atrisk refer": Case(
        lambda w, d: atrisk_forms.ReferForm(d),
        "unit",
        _atrisk_unit,
        lambda w: w.county.school_b,
    ),
    "atrisk filter school": Case(
        lambda w, d: atrisk_forms.FileFilterForm(d, user=w.liaison_a),
        "school",
        None,  # no files: nothing in scope
        lambda w: w.county.school_b,
    ),
    "atrisk filter worker": Case(
        lambda w, d: atrisk_forms.FileFilterForm(d, user=w.liaison_a),
        "worker",
        None,
        lambda w: w.police_user,
    ),
    "casework report child": Case(
        lambda w, d: casework_forms.ReportForm(d, user=w.liaison_a),
        "child",
        lambda w: w.pupils[0],
        lambda w: w.pupil_b,
    ),
    "casework report division": Case(
        lambda w, d: casework_forms.ReportForm(d, user=w.liaison_a),
        "division",
        lambda w: w.county.village_a,
        lambda w: w.county.county,
    ),
    "casework decide": Case(
        lambda w, d: casework_forms.DecideForm(d),
        "transferred_to",
        _atrisk_unit,
        lambda w: w.closed_unit,
    ),
    "casework late report": Case(
        lambda w, d: casework_forms.LateReportForm(d),
        "unit",
        _atrisk_unit,
        lambda w: w.closed_unit,
    ),
    "casework referral": Case(
        lambda w, d: casework_forms.ReferralForm(d),
        "to_unit",
        _atrisk_unit,
        lambda w: w.closed_unit,
    ),
    "casework suggestion": Case(
        lambda w, d: casework_forms.SuggestionForm(d),
        "unit",
        _atrisk_unit,
        lambda w: w.closed_unit,
    ),
    "casework order child": Case(
        lambda w, d: casework_forms.OrderForm(d, user=w.liaison_a),
        "child",
        lambda w: w.pupils[0],
        lambda w: w.pupil_b,
    ),
    "education session school": Case(
        lambda w, d: education_forms.SessionForm(d, user=w.liaison_a),
        "school",
        lambda w: w.school_a,
        lambda w: w.closed,
    ),
    "education session division": Case(
        lambda w, d: education_forms.SessionForm(d, user=w.liaison_a),
        "division",
        lambda w: w.county.village_a,
        lambda w: w.county.county,
    ),
    "education session speaker unit": Case(
        lambda w, d: education_forms.SessionForm(d, user=w.liaison_a),
        "speaker_unit",
        _atrisk_unit,
        lambda w: w.closed_unit,
    ),
    "education import school": Case(
        lambda w, d: education_forms.SessionImportForm(d, user=w.liaison_a),
        "school",
        lambda w: w.school_a,
        lambda w: w.closed,
    ),
    "education filter school": Case(
        lambda w, d: education_forms.SessionFilterForm(d, user=w.liaison_a),
        "school",
        lambda w: w.school_a,
        lambda w: School.objects.get(organisation=w.county.school_b),
    ),
    "education coverage speaker unit": Case(
        lambda w, d: education_forms.CoverageFilterForm(d),
        "speaker_unit",
        None,  # no sessions: no speaker units
        _atrisk_unit,
    ),
    "legalvp filter school": Case(
        lambda w, d: legalvp_forms.AppointmentFilterForm(d),
        "school",
        lambda w: w.school_a,
        None,  # every school
    ),
    "legalvp sending unit": Case(
        lambda w, d: legalvp_forms.AppointmentForm(d),
        "sending_unit",
        _atrisk_unit,
        lambda w: w.county.school_a,
    ),
    "legalvp appointing unit": Case(
        lambda w, d: legalvp_forms.AppointmentForm(d),
        "appointing_unit",
        lambda w: w.county.education,
        _atrisk_unit,
    ),
    "legalvp schools": Case(
        lambda w, d: legalvp_forms.AppointmentForm(d),
        "schools",
        lambda w: w.school_a,
        lambda w: w.closed,
    ),
    "legalvp appointee": Case(
        lambda w, d: legalvp_forms.AppointmentForm(d),
        "appointee_user",
        lambda w: w.police_user,
        lambda w: w.liaison_a,
    ),
    "audit unit": Case(
        lambda w, d: audit_forms.AuditFilterForm(d),
        "unit",
        _atrisk_unit,
        None,  # every unit
    ),
    "staffchecks new hires": Case(
        lambda w, d: staffchecks_forms.BatchForm(d, unit=w.county.school_a),
        "staff",
        None,  # no roster
        None,
    ),
    "schools division": Case(
        lambda w, d: schools_forms.SchoolForm(d),
        "division",
        lambda w: w.county.village_a,
        lambda w: w.county.county,
    ),
}


def _value(form: forms.BaseForm, field: str, obj: Any) -> Any:
    multiple = isinstance(form.fields[field], forms.ModelMultipleChoiceField)
    return [obj.pk] if multiple else obj.pk


def _html(form: forms.BaseForm, field: str) -> str:
    return str(form[field])


@pytest.mark.parametrize("name", CASES)
def test_the_field_is_a_picker_with_no_options(world: World, name: str) -> None:
    case = CASES[name]
    form = case.form(world, None)
    html = _html(form, case.field)
    assert "<option" not in html and "<select" not in html
    assert 'hx-get="/pick/' in html


@pytest.mark.parametrize("name", [n for n, c in CASES.items() if c.inside is not None])
def test_the_chosen_record_alone_is_on_the_page(world: World, name: str) -> None:
    case = CASES[name]
    assert case.inside is not None
    inside = case.inside(world)
    form = case.form(world, None)
    form.initial[case.field] = _value(form, case.field, inside)
    html = _html(form, case.field)
    assert html.count("picker-chip") == 1
    assert re.findall(r'type="hidden" name="[^"]+" value="(\d+)"', html) == [str(inside.pk)]
    bound = case.form(world, {case.field: _value(form, case.field, inside)})
    bound.is_valid()
    assert case.field not in bound.errors


@pytest.mark.parametrize("name", [n for n, c in CASES.items() if c.outside is not None])
def test_a_record_outside_the_scope_is_refused(world: World, name: str) -> None:
    case = CASES[name]
    assert case.outside is not None
    outside = case.outside(world)
    probe = case.form(world, None)
    form = case.form(world, {case.field: _value(probe, case.field, outside)})
    assert not form.is_valid()
    assert case.field in form.errors
    # and the page sent back does not show it as chosen
    assert "picker-chip" not in _html(form, case.field)


def test_the_event_page_holds_only_the_chosen_child(client_for, world: World) -> None:
    """30 pupils in scope: the report page for one child's file names that child only."""
    from weibao.atrisk.tests.conftest import report

    report(world.liaison_a, [world.pupils[0]], "BL01")
    file = AtRiskFile.objects.get(person=world.pupils[0])
    client = client_for(world.liaison_a)
    html = client.get(f"/at-risk/events/new/?file={file.pk}").content.decode()
    assert html.count('type="hidden" name="people"') == 1
    assert f'name="people" value="{world.pupils[0].pk}"' in html
    assert html.count("王*明") == 1  # the chosen child's chip, none of the 29 others
    assert '<select name="people"' not in html
    blank = client.get("/at-risk/events/new/").content.decode()
    assert "王*明" not in blank  # nobody listed until a search


def test_the_event_page_refuses_another_schools_child(client_for, world: World) -> None:
    response = client_for(world.liaison_a).post(
        "/at-risk/events/new/",
        {
            "people": [world.pupil_b.pk],
            "occurred_on": TODAY.isoformat(),
            "crime_class": "other",
        },
    )
    assert response.status_code == 400
    assert "people" in response.context["form"].errors


def test_villages_are_pickable(world: World) -> None:
    assert Division.objects.filter(level=Division.Level.VILLAGE).exists()
