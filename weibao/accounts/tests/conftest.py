"""Helpers for the login-security tests: real logins through the form, and one-time codes."""

from __future__ import annotations

from typing import Any

from django.contrib.auth import SESSION_KEY
from django.test import Client
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

from weibao.testing import PASSWORD


def post_login(
    client: Client, username: str, password: str = PASSWORD, ip: str = "10.0.0.1"
) -> Any:
    """Sign in through the login form, from `ip`, as a browser would."""
    return client.post(
        "/accounts/login/", {"username": username, "password": password}, REMOTE_ADDR=ip
    )


def code_for(device: TOTPDevice, steps_ahead: int = 0) -> str:
    """The device's current one-time code (or one a step or so ahead: a code is not reused)."""
    value = totp(device.bin_key, device.step, device.t0, device.digits, device.drift + steps_ahead)
    return f"{value:0{device.digits}d}"


def session_user_id(client: Client) -> str | None:
    """Who the client's session is signed in as, if anyone."""
    return client.session.get(SESSION_KEY)
