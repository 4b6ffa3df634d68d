"""After a wrong one-time code the device reads no code for a moment (1 s, 2 s, 4 s ...): a
right code typed in that moment is refused with the wait to observe, not as a wrong code."""

from __future__ import annotations

from datetime import timedelta

import pytest
import time_machine
from django.test import Client
from django.utils import timezone
from django_otp.plugins.otp_totp.models import TOTPDevice

from weibao.accounts.models import User

from .conftest import code_for, post_login, session_user_id

VERIFY = "/accounts/otp/verify/?next=/"


@pytest.fixture
def traveller():
    with time_machine.travel(timezone.now(), tick=False) as traveller:
        yield traveller


def _wrong(device: TOTPDevice) -> str:
    right = code_for(device)
    return "000000" if right != "000000" else "111111"


@pytest.fixture
def device(sysadmin: User) -> TOTPDevice:
    return TOTPDevice.objects.create(user=sysadmin, name="phone", confirmed=True)


def test_right_code_just_after_a_wrong_one_says_to_wait(
    english: None, sysadmin: User, device: TOTPDevice, traveller
) -> None:
    client = Client()
    post_login(client, "sysadmin")
    wrong = client.post(VERIFY, {"token": _wrong(device)})
    assert "The code is wrong" in wrong.context["form"].errors["token"][0]
    response = client.post(VERIFY, {"token": code_for(device)})
    assert response.status_code == 200
    error = response.context["form"].errors["token"][0]
    assert "Wait 1 second," in error and "wrong or has expired" not in error
    traveller.shift(timedelta(seconds=1.5))
    response = client.post(VERIFY, {"token": code_for(device)})
    assert response.status_code == 302 and response["Location"] == "/"
    assert session_user_id(client) == str(sysadmin.pk)


def test_the_wait_doubles(english: None, sysadmin: User, device: TOTPDevice, traveller) -> None:
    client = Client()
    post_login(client, "sysadmin")
    client.post(VERIFY, {"token": _wrong(device)})
    traveller.shift(timedelta(seconds=1.5))
    client.post(VERIFY, {"token": _wrong(device)})  # the second wrong code: 2 s
    response = client.post(VERIFY, {"token": code_for(device)})
    error = response.context["form"].errors["token"][0]
    assert "Wait 2 seconds," in error


def test_enrolment_says_to_wait_too(english: None, sysadmin: User, traveller) -> None:
    client = Client()
    post_login(client, "sysadmin")
    assert client.get("/accounts/otp/setup/").status_code == 200
    pending = TOTPDevice.objects.get(user=sysadmin, confirmed=False)
    client.post("/accounts/otp/setup/", {"token": _wrong(pending)})
    response = client.post("/accounts/otp/setup/", {"token": code_for(pending)})
    assert "Wait 1 second," in response.context["form"].errors["token"][0]
    assert not TOTPDevice.objects.get(pk=pending.pk).confirmed


def test_verify_page_needs_a_login(client: Client) -> None:
    assert client.post(VERIFY, {"token": "123456"}).status_code == 302
