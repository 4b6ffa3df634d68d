"""Referring an at-risk file, and an order to guardians put on the minor's file."""

from __future__ import annotations

from django.urls import reverse

from weibao.atrisk import services as atrisk_services
from weibao.atrisk.models import Measure
from weibao.casework import services
from weibao.casework.models import Referral


def test_refer_an_atrisk_file_by_page(liaison_a, liaison_b, civil_affairs, girl, client_for):
    file = atrisk_services.file_open(actor=liaison_a, person=girl)
    url = reverse("casework:atrisk_refer", args=[file.pk])
    assert client_for(liaison_b).get(url).status_code == 404
    response = client_for(liaison_a).post(
        url, {"to_unit": civil_affairs.pk, "action": "psychological", "request": "心理疏导"}
    )
    assert response.status_code == 302
    referral = Referral.objects.get()
    assert referral.atrisk_file == file and referral.case is None


def test_order_shows_on_the_minors_file(liaison_a, police, girl):
    file = atrisk_services.file_open(actor=liaison_a, person=girl)
    order = services.guardian_order_issue(
        actor=police,
        data={
            "kind": "admonition",
            "child": girl,
            "guardian_name": "x",
            "facts": "f",
            "required_actions": "a",
        },
    )
    assert order.atrisk_file == file
    assert Measure.objects.filter(file=file, kind="admonition", notes=order.number).exists()
