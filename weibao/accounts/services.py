"""Every change to units and users goes through here, with its audit event."""

from __future__ import annotations

import base64
from collections.abc import Iterable, Mapping
from datetime import datetime, timedelta
from typing import Any

import segno
from axes.utils import reset as axes_reset
from django.conf import settings
from django.contrib.auth import SESSION_KEY
from django.contrib.auth.hashers import check_password
from django.contrib.auth.password_validation import validate_password
from django.contrib.auth.signals import user_logged_in
from django.contrib.sessions.models import Session
from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext as _
from django_otp import login as otp_login
from django_otp.plugins.otp_totp.models import TOTPDevice
from rest_framework.authtoken.models import Token

from weibao.accounts import tokens
from weibao.accounts.models import COUNTY_ROLES, Organisation, PasswordHistory, Role, User
from weibao.accounts.passwords import generate_password
from weibao.accounts.policy import is_auditor, is_sysadmin
from weibao.audit.models import AuditEvent
from weibao.audit.services import diff, record, snapshot
from weibao.kit.guards import require
from weibao.lib import creditcode

# The fields each service takes from `data`; keys not listed are ignored.
UNIT_FIELDS = ("name", "kind", "division", "credit_code", "parent", "webhook_url", "is_active")
USER_CREATE_FIELDS = (
    "username", "full_name", "phone", "email", "organisation", "role", "language",
)  # fmt: skip
USER_UPDATE_FIELDS = (
    "full_name", "phone", "email", "organisation", "role", "is_active", "language",
)  # fmt: skip
# Fields an administrator may not change on their own account: they would lock themselves out
# or lift their own rights.
SELF_LOCKED_FIELDS = ("organisation", "role", "is_active")


# Helpers -----------------------------------------------------------------------------------


def _apply(instance: models.Model, data: Mapping[str, Any], fields: Iterable[str]) -> None:
    for name in fields:
        if name in data:
            value = data[name]
            setattr(instance, name, value.strip() if isinstance(value, str) else value)


Errors = dict[str, list[ValidationError]]


def _raise_collected(
    instance: models.Model, errors: Errors, *, validate_constraints: bool = True
) -> None:
    """Run the model's own validation and raise it together with the service's checks."""
    try:
        instance.full_clean(validate_constraints=validate_constraints)
    except ValidationError as exc:
        for name, field_errors in exc.error_dict.items():
            errors.setdefault(name, []).extend(field_errors)
    if errors:
        raise ValidationError(errors)


def _error(message: str, code: str) -> list[ValidationError]:
    return [ValidationError(message, code=code)]


def _expired_stamp() -> datetime:
    """A password-change time old enough that the user must choose a new one at next login."""
    return timezone.now() - timedelta(days=settings.PASSWORD_MAX_AGE_DAYS + 1)


def _end_sessions(user: User, *, keep: str | None = None) -> int:
    """Delete the user's open sessions (database session store), so they are signed out now;
    all but the session `keep`, if given."""
    ended = 0
    for session in Session.objects.filter(expire_date__gt=timezone.now()).iterator():
        if session.session_key == keep:
            continue
        if session.get_decoded().get(SESSION_KEY) == str(user.pk):
            session.delete()
            ended += 1
    return ended


def _delete_tokens(user: User) -> int:
    return Token.objects.filter(user=user).delete()[0]


# Units -------------------------------------------------------------------------------------


def _unit_changes(changes: dict[str, Any]) -> dict[str, Any]:
    """The audit's `changes` for a unit. The audit masks any "name" as a person's name; a
    unit's name is public, so it is recorded under its own key, in clear."""
    return {("unit_name" if key == "name" else key): pair for key, pair in changes.items()}


def _unit_errors(unit: Organisation) -> Errors:
    errors: Errors = {}
    if unit.credit_code:
        try:
            unit.credit_code = creditcode.validate(unit.credit_code)
        except ValueError as exc:
            errors["credit_code"] = _error(str(exc), "invalid_credit_code")
        else:
            # The only constraint on units, checked here to name the field in the message.
            others = Organisation.objects.filter(credit_code=unit.credit_code).exclude(pk=unit.pk)
            if others.exists():
                message = _("Another unit already has this credit code.")
                errors["credit_code"] = _error(message, "unique")
    seen: set[int] = set()
    ancestor = unit.parent
    while ancestor is not None and ancestor.pk not in seen:
        if unit.pk is not None and ancestor.pk == unit.pk:
            message = _("A unit cannot be placed under itself or a unit below it.")
            errors["parent"] = _error(message, "parent_cycle")
            break
        seen.add(ancestor.pk)
        ancestor = ancestor.parent
    return errors


@transaction.atomic
def unit_create(*, actor: User, data: Mapping[str, Any]) -> Organisation:
    require(actor.has_perm("accounts.manage_units"))
    unit = Organisation()
    _apply(unit, data, UNIT_FIELDS)
    _raise_collected(unit, _unit_errors(unit), validate_constraints=False)
    unit.save()
    record(
        AuditEvent.Action.CREATE,
        actor=actor,
        target=unit,
        target_repr=unit.name,
        changes=_unit_changes(diff(unit, {}, UNIT_FIELDS)),
    )
    return unit


@transaction.atomic
def unit_update(*, actor: User, unit: Organisation, data: Mapping[str, Any]) -> Organisation:
    require(
        actor.has_perm("accounts.manage_units")
        and actor.has_perm("accounts.change_organisation", unit)
    )
    before = snapshot(unit, UNIT_FIELDS)
    _apply(unit, data, UNIT_FIELDS)
    _raise_collected(unit, _unit_errors(unit), validate_constraints=False)
    changes = diff(unit, before, UNIT_FIELDS)
    if changes:
        unit.save(update_fields=[name for name in UNIT_FIELDS if name in changes])
        record(
            AuditEvent.Action.UPDATE,
            actor=actor,
            target=unit,
            target_repr=unit.name,
            changes=_unit_changes(changes),
        )
    return unit


# Users -------------------------------------------------------------------------------------


def _role_errors(actor: User, user: User) -> Errors:
    """What a unit administrator may not give: another unit, or a county-wide role."""
    errors: Errors = {}
    if actor.role == Role.SYSADMIN:
        return errors
    if user.role in COUNTY_ROLES:
        errors["role"] = _error(_("Only a system administrator may give this role."), "role")
    if user.organisation_id != actor.organisation_id:
        errors["organisation"] = _error(
            _("You may only manage users of your own unit."), "other_unit"
        )
    return errors


@transaction.atomic
def user_create(*, actor: User, data: Mapping[str, Any]) -> tuple[User, str | None]:
    """Create a user with the given initial password, or a generated one.

    Returns the user and the generated password (None when one was given). Either way the
    password must be changed at first login, because the administrator knows it.
    """
    require(actor.has_perm("accounts.manage_users"))
    user = User()
    _apply(user, data, USER_CREATE_FIELDS)
    user.username = User.normalize_username(user.username)
    errors = _role_errors(actor, user)
    password = data.get("password") or ""
    generated = None
    if password:
        try:
            validate_password(password, user)
        except ValidationError as exc:
            errors["password"] = exc.error_list
    else:
        password = generated = generate_password(user)
    user.set_password(password)
    user.password_changed_at = _expired_stamp()
    _raise_collected(user, errors)
    user.save()
    record(
        AuditEvent.Action.CREATE,
        actor=actor,
        target=user,
        target_repr=user.username,
        changes=diff(user, {}, (*USER_CREATE_FIELDS, "is_active")),
        password_generated=generated is not None,
    )
    return user, generated


@transaction.atomic
def user_update(*, actor: User, user: User, data: Mapping[str, Any]) -> User:
    """Change a user's details, role, unit or active flag; the audit event has old and new."""
    require(actor.has_perm("accounts.change_user", user))
    before = snapshot(user, USER_UPDATE_FIELDS)
    _apply(user, data, USER_UPDATE_FIELDS)
    errors = _role_errors(actor, user)
    if user.pk == actor.pk:
        for name in SELF_LOCKED_FIELDS:
            if getattr(user, name) != before[name]:
                errors[name] = _error(_("You cannot change this on your own account."), "self")
    _raise_collected(user, errors)
    changes = diff(user, before, USER_UPDATE_FIELDS)
    if not changes:
        return user
    user.save(update_fields=[name for name in USER_UPDATE_FIELDS if name in changes])
    detail: dict[str, Any] = {}
    if "is_active" in changes and not user.is_active:
        detail = {"sessions_ended": _end_sessions(user), "tokens_deleted": _delete_tokens(user)}
    record(
        AuditEvent.Action.UPDATE,
        actor=actor,
        target=user,
        target_repr=user.username,
        changes=changes,
        **detail,
    )
    return user


@transaction.atomic
def user_deactivate(*, actor: User, user: User) -> User:
    """Switch the account off and sign it out everywhere (sessions and API tokens)."""
    require(actor.has_perm("accounts.change_user", user))
    if user.pk == actor.pk:
        raise ValidationError({"is_active": _("You cannot deactivate your own account.")})
    was_active = user.is_active
    user.is_active = False
    user.save(update_fields=["is_active"])
    record(
        AuditEvent.Action.UPDATE,
        actor=actor,
        target=user,
        target_repr=user.username,
        changes={"is_active": [str(was_active), "False"]} if was_active else {},
        operation="deactivate",
        sessions_ended=_end_sessions(user),
        tokens_deleted=_delete_tokens(user),
    )
    return user


@transaction.atomic
def user_reset_password(*, actor: User, user: User) -> str:
    """Give the user a temporary password, to be changed at next login; returns it.

    Also lifts a lockout on the username and revokes API tokens, since a reset usually
    follows a forgotten or exposed password.
    """
    require(actor.has_perm("accounts.change_user", user))
    password = generate_password(user)
    _remember_password(user)
    user.set_password(password)
    user.password_changed_at = _expired_stamp()
    user.save(update_fields=["password", "password_changed_at"])
    record(
        AuditEvent.Action.PASSWORD,
        actor=actor,
        target=user,
        target_repr=user.username,
        operation="reset",
        tokens_deleted=_delete_tokens(user),
        lockouts_lifted=axes_reset(username=user.username),
    )
    return password


# How many former passwords a new one may not repeat (besides the current one).
PASSWORD_HISTORY_COUNT = 5


def _password_reused(user: User, raw_password: str) -> bool:
    """Whether `raw_password` is the user's current password or one of their last few.

    Compared through the hashers' own check_password, not the user's: that one would save an
    upgraded hash as a side effect."""
    if user.password and check_password(raw_password, user.password):
        return True
    former = user.password_history.values_list("password", flat=True)[:PASSWORD_HISTORY_COUNT]
    return any(check_password(raw_password, encoded) for encoded in former)


def _remember_password(user: User) -> None:
    """Keep the hash of the password being replaced, and forget all but the last few."""
    if not user.password or not user.has_usable_password():
        return
    PasswordHistory.objects.create(user=user, password=user.password)
    stale = user.password_history.values_list("pk", flat=True)[PASSWORD_HISTORY_COUNT:]
    PasswordHistory.objects.filter(pk__in=list(stale)).delete()


@transaction.atomic
def password_change(*, actor: User, new_password: str) -> None:
    """A user sets their own password: not the current one nor one of the last five. Their API
    tokens end (a token outliving the password it was issued against would defeat the change);
    the session of the change is kept by the view, any other ends through the session hash."""
    require(actor.is_active)
    errors: list[ValidationError] = []
    try:
        validate_password(new_password, actor)
    except ValidationError as exc:
        errors.extend(exc.error_list)
    if _password_reused(actor, new_password):
        message = _(
            "You have used this password recently: the new password must differ from your "
            "current one and from your last %(count)d."
        ) % {"count": PASSWORD_HISTORY_COUNT}
        errors.append(ValidationError(message, code="password_reused"))
    if errors:
        raise ValidationError({"new_password2": errors})
    _remember_password(actor)
    actor.set_password(new_password)
    actor.save(update_fields=["password", "password_changed_at"])
    record(
        AuditEvent.Action.PASSWORD,
        actor=actor,
        target=actor,
        target_repr=str(actor),
        tokens_deleted=_delete_tokens(actor),
    )


# One-time codes ----------------------------------------------------------------------------


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
    _end_concurrent_sessions(actor, request)
    return True


def otp_check(*, actor: User, token: str) -> TOTPDevice | None:
    """The confirmed device that accepts `token`, or None; the attempt is audited."""
    for device in TOTPDevice.objects.filter(user=actor, confirmed=True):
        if device.verify_token(token):
            record(AuditEvent.Action.OTP, actor=actor, target=actor, result="verified")
            return device
    record(AuditEvent.Action.OTP, actor=actor, target=actor, result="failed")
    return None


def otp_verify(*, actor: User, request: HttpRequest, token: str) -> bool:
    device = otp_check(actor=actor, token=token)
    if device is None:
        return False
    otp_login(request, device)
    _end_concurrent_sessions(actor, request)
    return True


def _end_concurrent_sessions(user: User, request: HttpRequest) -> None:
    """Once a login is complete (its one-time code verified), a system administrator's or
    auditor's other sessions end. Not at the password step: a stolen password alone must not
    be enough to sign the real owner out."""
    if single_session(user):
        sessions_end_others(user=user, keep=request.session.session_key)


class TokenRefused(Exception):
    """An API token was not issued; `field` is the request field to blame, or None."""

    def __init__(self, message: str, *, field: str | None = None, expired: bool = False) -> None:
        super().__init__(message)
        self.message = message
        self.field = field
        self.expired = expired


def api_token_issue(*, actor: User, request: HttpRequest, otp_code: str | None) -> str:
    """The API token of a user whose password was just checked: their one-time code too where
    the account uses one, and a live password. Issuing it is a login (the same signal as a
    page login: audited, own failures cleared, last_login set)."""
    wants_code = actor.needs_otp or actor.otp_device_set_up
    if wants_code and (not otp_code or otp_check(actor=actor, token=otp_code) is None):
        raise TokenRefused(
            _("A valid one-time code is required for this account."), field="otp_code"
        )
    if actor.password_expired:
        record(AuditEvent.Action.LOGIN_FAILED, actor=actor, reason="password_expired", via="api")
        raise TokenRefused(
            _("Your password has expired: change it on the web page first."), expired=True
        )
    user_logged_in.send(sender=actor.__class__, request=request, user=actor)
    token = Token.objects.filter(user=actor).first()
    if token is not None and tokens.is_expired(token):
        # An expired token is never handed out again: the owner gets a new one.
        token.delete()
        token = None
    if token is None:
        token = Token.objects.create(user=actor)
    return token.key


@transaction.atomic
def api_token_revoke(*, actor: User, token: Token) -> None:
    """The owner ends their own API token. The audit event names the token by its creation
    time, never by its key."""
    require(actor.is_active and token.user_id == actor.pk)
    created = token.created
    token.delete()
    record(
        AuditEvent.Action.DELETE,
        actor=actor,
        target=actor,
        target_repr=str(actor),
        operation="api_token_revoke",
        token_created=created.isoformat(),
    )


def api_tokens_end(*, user: User, reason: str) -> int:
    """End every API token of the user (at logout, say); audited when there was one."""
    deleted = _delete_tokens(user)
    if deleted:
        record(
            AuditEvent.Action.DELETE,
            actor=user,
            target=user,
            target_repr=str(user),
            operation="api_tokens_end",
            reason=reason,
            tokens_deleted=deleted,
        )
    return deleted


def single_session(user: User) -> bool:
    """System administrators and auditors have one session at a time (等保 level 3)."""
    return bool(is_sysadmin(user) or is_auditor(user))


def sessions_end_others(*, user: User, keep: str | None) -> int:
    """A system administrator or auditor who has signed in ends their other sessions: one
    person, one session. Audited when any session was ended."""
    ended = _end_sessions(user, keep=keep)
    if ended:
        record(
            AuditEvent.Action.LOGOUT,
            actor=user,
            target=user,
            target_repr=str(user),
            reason="concurrent_login",
            sessions_ended=ended,
        )
    return ended
