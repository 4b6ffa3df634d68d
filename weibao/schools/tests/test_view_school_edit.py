from __future__ import annotations

import pytest
from django.urls import reverse


def _url(school) -> str:
    return reverse("schools:edit", args=[school.pk])


def test_bureau_edits_all_fields(client_for, education, county, record_a) -> None:
    client = client_for(education)
    form = client.get(_url(record_a)).context["form"]
    assert "kind" in form.fields and "division" in form.fields
    data = {"name": "鳌溪镇第一小学", "kind": "primary", "ownership": "public",
            "division": county.village_a.pk, "pupil_count": "301", "staff_count": "25",
            "principal_name": "王校长", "principal_phone": "13800000001",
            "latitude": "27.43", "longitude": "115.83", "address": ""}  # fmt: skip
    response = client.post(_url(record_a), data)
    assert response.status_code == 302
    record_a.refresh_from_db()
    assert record_a.pupil_count == 301
    assert record_a.organisation.name == "鳌溪镇第一小学"


def test_school_admin_edits_contact_fields_only(client_for, admin_a, record_a) -> None:
    client = client_for(admin_a)
    form = client.get(_url(record_a)).context["form"]
    assert set(form.fields) == {"address", "pupil_count", "staff_count", "principal_name",
                                "principal_phone"}  # fmt: skip
    data = {"pupil_count": "280", "staff_count": "20", "principal_name": "赵校长",
            "principal_phone": "13800000009", "kind": "senior"}  # fmt: skip
    response = client.post(_url(record_a), data)
    assert response.status_code == 302
    record_a.refresh_from_db()
    assert (record_a.pupil_count, record_a.principal_name) == (280, "赵校长")
    assert record_a.kind == "primary"  # not a field of this form: ignored


def test_bad_input_keeps_the_record(client_for, admin_a, record_a) -> None:
    response = client_for(admin_a).post(_url(record_a), {"principal_phone": "abc"})
    assert response.status_code == 400
    assert response.context["form"].errors["principal_phone"]
    record_a.refresh_from_db()
    assert record_a.principal_phone == "13800000001"


@pytest.mark.parametrize("name", ["liaison_a", "liaison_b", "outsider", "police"])
def test_not_allowed(request, client_for, record_a, name) -> None:
    client = client_for(request.getfixturevalue(name))
    assert client.get(_url(record_a)).status_code == 403
    assert client.post(_url(record_a), {"pupil_count": "1"}).status_code == 403
    record_a.refresh_from_db()
    assert record_a.pupil_count == 300


def test_a_school_cannot_edit_another(client_for, admin_a, record_b) -> None:
    response = client_for(admin_a).post(_url(record_b), {"pupil_count": "1"})
    assert response.status_code == 403
    record_b.refresh_from_db()
    assert record_b.pupil_count == 500


def test_anonymous_redirected(client, record_a) -> None:
    assert client.get(_url(record_a)).status_code == 302
