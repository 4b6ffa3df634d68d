"""The people API: scope, masking, audit, and writes through the services."""

from __future__ import annotations

from datetime import date

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from weibao.accounts.models import Role
from weibao.audit.models import AuditEvent
from weibao.people.models import Person
from weibao.people.tests.conftest import make_person
from weibao.testing import id_for, make_user

LIST = "/api/v1/people/"
ID = id_for(date(2014, 7, 8), 57)


def detail(person: Person, suffix: str = "") -> str:
    return f"{LIST}{person.pk}/{suffix}"


def names(response) -> set[str]:
    return {row["name"] for row in response.json()["results"]}


@pytest.fixture
def api():
    """api(user) -> an API client authenticated by token, as scripts use it."""

    def make(user) -> APIClient:
        client = APIClient()
        client.credentials(HTTP_AUTHORIZATION=f"Token {Token.objects.create(user=user).key}")
        return client

    return make


# Reading ---------------------------------------------------------------------------------


def test_anonymous_gets_nothing(client, pupil_a) -> None:
    assert client.get(LIST).status_code in (401, 403)
    assert client.get(detail(pupil_a)).status_code in (401, 403)


def test_list_is_masked(api, coordinator, pupil_a, parent_a) -> None:
    response = api(coordinator).get(LIST)
    assert response.status_code == 200
    text = response.content.decode()
    for clear in (pupil_a.id_number, pupil_a.phone, "张三", "张大山"):
        assert clear not in text
    row = next(r for r in response.json()["results"] if r["id"] == pupil_a.pk)
    assert row["name"] == "张*"
    assert row["id_number"] == pupil_a.masked_id_number
    assert row["phone"] == "138****5678"
    assert row["guardians"] == [
        {
            "guardian": parent_a.pk,
            "guardian_name": "张*山",
            "guardian_phone": "137****1111",
            "relationship": "father",
            "is_primary": True,
        }
    ]


@pytest.mark.parametrize(
    ("user", "expected"),
    [
        ("coordinator", {"张*", "李*梅"}),
        ("liaison_a", {"张*"}),
        ("liaison_b", {"李*梅"}),
        ("police", {"张*"}),
        ("township_worker", {"张*"}),
        ("outsider", set()),
    ],
)
def test_list_keeps_to_each_users_scope(request, api, pupil_a, pupil_b, user, expected):
    response = api(request.getfixturevalue(user)).get(LIST)
    assert response.status_code == 200
    assert names(response) == expected


@pytest.mark.parametrize("user", ["sysadmin", "auditor"])
def test_system_roles_are_refused(request, api, pupil_a, user) -> None:
    client = api(request.getfixturevalue(user))
    assert client.get(LIST).status_code == 403
    assert client.get(detail(pupil_a)).status_code == 403


def test_search_by_name_pinyin_initials_and_id(api, coordinator, pupil_a, pupil_b) -> None:
    client = api(coordinator)
    for q in ("张三", "zhangsan", "zs", pupil_a.id_number):
        assert names(client.get(LIST, {"q": q})) == {"张*"}, q
    assert names(client.get(LIST, {"school": pupil_b.school_id})) == {"李*梅"}
    # The exact-ID search is audited, with the number masked.
    event = AuditEvent.objects.get(action=AuditEvent.Action.SEARCH)
    assert event.actor == coordinator
    assert event.detail["id_number"] == pupil_a.masked_id_number


def test_liaison_a_cannot_find_school_b_by_search(api, liaison_a, pupil_a, pupil_b) -> None:
    client = api(liaison_a)
    for q in ("李小梅", "lixiaomei", "lxm", pupil_b.id_number):
        assert names(client.get(LIST, {"q": q})) == set(), q


def test_retrieve_is_audited_and_scoped(api, liaison_a, pupil_a, pupil_b) -> None:
    client = api(liaison_a)
    response = client.get(detail(pupil_a))
    assert response.status_code == 200
    assert response.json()["name"] == "张*"
    event = AuditEvent.objects.get(action=AuditEvent.Action.VIEW)
    assert (event.actor, event.target_id, event.detail["via"]) == (
        liaison_a,
        str(pupil_a.pk),
        "api",
    )
    assert client.get(detail(pupil_b)).status_code == 404
    assert AuditEvent.objects.filter(action=AuditEvent.Action.VIEW).count() == 1


def test_session_authentication_works_too(client_for, liaison_a, pupil_a) -> None:
    response = client_for(liaison_a).get(LIST)
    assert response.status_code == 200
    assert names(response) == {"张*"}


def test_list_query_count_does_not_grow_with_rows(api, coordinator, county, parent_a) -> None:
    client = api(coordinator)

    def count() -> int:
        with CaptureQueriesContext(connection) as queries:
            assert client.get(LIST).status_code == 200
        return len(queries)

    few = count()
    for seq in range(20):
        make_person("王五", county.school_b, id_number=id_for(date(2013, 1, 1), seq))
    assert count() == few


# Writing ---------------------------------------------------------------------------------


def test_create_goes_through_the_service(api, liaison_a, county) -> None:
    response = api(liaison_a).post(LIST, {"name": "王五", "id_number": ID}, format="json")
    assert response.status_code == 201, response.json()
    person = Person.objects.get()
    assert response.json()["id"] == person.pk
    assert response.json()["id_number"] == person.masked_id_number
    assert (person.birth_date, person.school, person.registered_by) == (
        date(2014, 7, 8),
        county.school_a,
        county.school_a,
    )
    assert AuditEvent.objects.filter(action=AuditEvent.Action.CREATE, target_id=str(person.pk))


@pytest.mark.parametrize(
    "bad_id", [ID[:-1] + ("1" if ID[-1] != "1" else "2"), "361025201402301234", "3610252014"]
)
def test_invalid_id_number_is_a_400_on_the_field(api, liaison_a, bad_id) -> None:
    response = api(liaison_a).post(LIST, {"name": "王五", "id_number": bad_id}, format="json")
    assert response.status_code == 400
    assert list(response.json()) == ["id_number"]
    assert response.json()["id_number"][0]
    assert not Person.objects.exists()


def test_duplicate_visible_names_the_existing_record(api, liaison_a, pupil_a) -> None:
    response = api(liaison_a).post(
        LIST, {"name": "张三", "id_number": pupil_a.id_number}, format="json"
    )
    assert response.status_code == 400
    assert response.json()["existing"] == pupil_a.pk
    assert Person.objects.count() == 1


def test_duplicate_hidden_names_no_unit(api, liaison_b, pupil_a, county) -> None:
    response = api(liaison_b).post(
        LIST, {"name": "张三", "id_number": pupil_a.id_number}, format="json"
    )
    assert response.status_code == 400
    body = response.json()
    assert "existing" not in body
    assert county.school_a.name not in body["id_number"][0]


def test_patch_updates_through_the_service(api, liaison_a, pupil_a) -> None:
    response = api(liaison_a).patch(detail(pupil_a), {"grade": "四年级"}, format="json")
    assert response.status_code == 200, response.json()
    pupil_a.refresh_from_db()
    assert pupil_a.grade == "四年级"
    assert AuditEvent.objects.get(action=AuditEvent.Action.UPDATE).detail["changes"] == {
        "grade": ["三年级", "四年级"]
    }


def test_patch_with_bad_birth_date_is_a_400(api, liaison_a, pupil_a) -> None:
    response = api(liaison_a).patch(detail(pupil_a), {"birth_date": "2015-03-02"}, format="json")
    assert response.status_code == 400
    assert "birth_date" in response.json()
    pupil_a.refresh_from_db()
    assert pupil_a.birth_date == date(2015, 3, 1)


@pytest.mark.parametrize(
    ("user", "status"), [("liaison_b", 404), ("outsider", 404), ("auditor", 403)]
)
def test_others_cannot_change(request, api, pupil_a, user, status) -> None:
    response = api(request.getfixturevalue(user)).patch(
        detail(pupil_a), {"name": "改名"}, format="json"
    )
    assert response.status_code == status
    assert Person.objects.get().name == "张三"


def test_read_only_user_in_scope_cannot_change(api, county, pupil_a) -> None:
    reader = make_user("reader_a", county.school_a, Role.READ_ONLY)
    client = api(reader)
    assert client.get(detail(pupil_a)).status_code == 200
    assert client.patch(detail(pupil_a), {"name": "改名"}, format="json").status_code == 403
    assert client.post(LIST, {"name": "王五", "id_number": ID}, format="json").status_code == 403
    assert Person.objects.get().name == "张三"


def test_delete_is_not_offered(api, coordinator, pupil_a) -> None:
    assert api(coordinator).delete(detail(pupil_a)).status_code == 405
    assert Person.objects.exists()


# Reveal ----------------------------------------------------------------------------------


def test_reveal_returns_the_value_and_is_audited(api, liaison_a, pupil_a) -> None:
    response = api(liaison_a).post(
        detail(pupil_a, "reveal/"), {"field": "phone", "reason": "联系家长"}, format="json"
    )
    assert response.status_code == 200
    assert response.json() == {"field": "phone", "value": "13812345678"}
    assert response["Cache-Control"] == "no-store"
    event = AuditEvent.objects.get(action=AuditEvent.Action.REVEAL)
    assert event.detail == {"field": "phone", "reason": "联系家长"}


@pytest.mark.parametrize("body", [{"field": "id_number"}, {"field": "id_number", "reason": "ab"}])
def test_reveal_needs_a_reason(api, liaison_a, pupil_a, body) -> None:
    response = api(liaison_a).post(detail(pupil_a, "reveal/"), body, format="json")
    assert response.status_code == 400
    assert "reason" in response.json()
    assert pupil_a.id_number not in response.content.decode()
    assert not AuditEvent.objects.filter(action=AuditEvent.Action.REVEAL).exists()


@pytest.mark.parametrize(
    ("user", "status"), [("liaison_b", 404), ("outsider", 404), ("sysadmin", 403)]
)
def test_reveal_out_of_scope(request, api, pupil_a, user, status) -> None:
    response = api(request.getfixturevalue(user)).post(
        detail(pupil_a, "reveal/"), {"field": "id_number", "reason": "联系家长"}, format="json"
    )
    assert response.status_code == status
    assert pupil_a.id_number not in response.content.decode()
    assert not AuditEvent.objects.filter(action=AuditEvent.Action.REVEAL).exists()


def test_schema_builds(api, coordinator) -> None:
    response = api(coordinator).get("/api/v1/schema/")
    assert response.status_code == 200
    assert b"/api/v1/people/{id}/reveal/" in response.content
