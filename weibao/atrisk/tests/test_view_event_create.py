"""The report form: opens the file, refuses other schools' pupils, shows field errors."""

from __future__ import annotations

from django.urls import reverse
from django.utils import timezone

from weibao.atrisk.models import AtRiskFile, Behaviour, MisconductEvent

URL = reverse("atrisk:event_create")


def post(client, people, codes, **extra):
    ids = list(Behaviour.objects.filter(code__in=codes).values_list("pk", flat=True))
    data = {
        "people": [p.pk for p in people],
        "occurred_on": timezone.localdate().isoformat(),
        "behaviours": ids,
        "crime_class": "other",
        **extra,
    }
    return client.post(URL, data)


def test_report_opens_the_file_and_redirects_to_it(client_for, liaison_a, pupil_a):
    response = post(client_for(liaison_a), [pupil_a], ["BL01", "BL02"])
    file = AtRiskFile.objects.get(person=pupil_a)
    assert response.status_code == 302 and response["Location"] == file.get_absolute_url()
    assert file.grade == "T1"


def test_another_schools_pupil_is_not_offered_nor_accepted(client_for, liaison_b, pupil_a):
    client = client_for(liaison_b)
    assert "王*明" not in client.get(URL).content.decode()
    response = post(client, [pupil_a], ["BL01"])
    assert response.status_code == 400
    assert not MisconductEvent.objects.exists()


def test_missing_codes_name_the_field(client_for, liaison_a, pupil_a):
    response = post(client_for(liaison_a), [pupil_a], [])
    assert response.status_code == 400
    assert "behaviours" in response.context["form"].errors
    assert not AtRiskFile.objects.exists()


def test_not_allowed(client_for, outsider, auditor, sysadmin):
    for user in (outsider, auditor, sysadmin):
        assert client_for(user).get(URL).status_code == 403
