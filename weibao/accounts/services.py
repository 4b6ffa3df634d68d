"""Every change to units and users goes through here, with its audit event."""

from __future__ import annotations

import base64

import segno
from django.db import transaction
from django.http import HttpRequest
from django_otp import login as otp_login
from django_otp.plugins.otp_totp.models import TOTPDevice

from weibao.accounts.models import User
from weibao.audit.models import AuditEvent
from weibao.audit.services import record


@transaction.atomic
def password_change(*, actor: User, new_password: str) -> None:
    actor.set_password(new_password)
    actor.save(update_fields=["password", "password_changed_at"])
    record(AuditEvent.Action.PASSWORD, actor=actor, target=actor, target_repr=str(actor))


def otp_pending_device(*, user: User) -> TOTPDevice:
    """The user's unconfirmed TOTP device, made on first visit to the enrolment page."""
    device = TOTPDevice.objects.filter(user=user, confirmed=False).first()
    if device is None:
        device = TOTPDevice.objects.create(user=user, name="default", confirmed=False)
    return device


def otp_secret(device: TOTPDevice) -> str:
    return base64.b32encode(device.bin_key).decode()


def otp_qr_svg(device: TOTPDevice) -> str:
    """The enrolment QR code as inline SVG: made on the server, nothing leaves the intranet."""
    return str(segno.make(device.config_url, error="m").svg_inline(scale=4))


@transaction.atomic
def otp_confirm(*, actor: User, request: HttpRequest, token: str) -> bool:
    device = otp_pending_device(user=actor)
    if not device.verify_token(token):
        record(AuditEvent.Action.OTP, actor=actor, target=actor, result="enrol_failed")
        return False
    TOTPDevice.objects.filter(user=actor, confirmed=True).delete()
    device.confirmed = True
    device.save(update_fields=["confirmed"])
    otp_login(request, device)
    record(AuditEvent.Action.OTP, actor=actor, target=actor, result="enrolled")
    return True


def otp_verify(*, actor: User, request: HttpRequest, token: str) -> bool:
    for device in TOTPDevice.objects.filter(user=actor, confirmed=True):
        if device.verify_token(token):
            otp_login(request, device)
            record(AuditEvent.Action.OTP, actor=actor, target=actor, result="verified")
            return True
    record(AuditEvent.Action.OTP, actor=actor, target=actor, result="failed")
    return False
