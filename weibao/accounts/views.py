"""Signing in and out, one-time codes, passwords; administration of units and users."""

from __future__ import annotations

import math
from collections.abc import Iterable
from typing import Any

from django.contrib import messages
from django.contrib.auth import logout, update_session_auth_hash
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required, permission_required
from django.contrib.auth.forms import PasswordChangeForm
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Count
from django.forms.models import model_to_dict
from django.http import HttpRequest, HttpResponse, HttpResponseBase, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST
from django_otp.plugins.otp_totp.models import TOTPDevice
from rest_framework.authtoken.models import Token

from weibao.accounts import services, tokens
from weibao.accounts.access import access_unit, access_user
from weibao.accounts.forms import (
    LoginForm,
    OtpForm,
    UnitFilterForm,
    UnitForm,
    UserCreateForm,
    UserEditForm,
    UserFilterForm,
)
from weibao.accounts.http import AuthedRequest
from weibao.accounts.models import Organisation, User
from weibao.kit.forms import apply_errors
from weibao.kit.pages import paginate, render_list


def _next_url(request: HttpRequest) -> str:
    target = request.POST.get("next") or request.GET.get("next") or ""
    if url_has_allowed_host_and_scheme(target, {request.get_host()}):
        return target
    return "/"


def login_view(request: HttpRequest) -> HttpResponseBase:
    return auth_views.LoginView.as_view(
        template_name="accounts/login.html",
        authentication_form=LoginForm,
        redirect_authenticated_user=True,
    )(request)


def locked_out(
    request: HttpRequest, response: Any = None, credentials: Any = None, *args: Any, **kw: Any
) -> HttpResponse:
    """Shown by django-axes instead of the login form once an account or address is locked."""
    if request.path.startswith("/api/"):
        message = _("Too many failed logins: this account or address is locked for 30 minutes.")
        return JsonResponse({"detail": message}, status=429)
    return render(request, "accounts/locked_out.html", status=429)


@require_POST
def logout_view(request: HttpRequest) -> HttpResponse:
    logout(request)
    return redirect("accounts:login")


@login_required
def password_change(request: AuthedRequest) -> HttpResponse:
    form = PasswordChangeForm(request.user, request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.password_change(
                actor=request.user, new_password=form.cleaned_data["new_password1"]
            )
        except ValidationError as error:
            apply_errors(form, error)
        else:
            update_session_auth_hash(request, request.user)
            messages.success(request, _("Your password was changed."))
            return redirect(_next_url(request))
    context = {
        "form": form,
        "expired": request.user.password_expired,
        "otp_enrolled": request.user.otp_device_set_up,
        "api_tokens": _own_tokens(request.user),
    }
    return render(request, "accounts/password_change.html", context)


def _own_tokens(user: User) -> list[dict[str, Any]]:
    """The user's API tokens for their account page: when made, when they expire. The key
    itself is never shown again."""
    return [
        {
            "created": token.created,
            "expires": tokens.expires_at(token),
            "expired": tokens.is_expired(token),
        }
        for token in Token.objects.filter(user=user)
    ]


@login_required
def api_token_revoke(request: AuthedRequest) -> HttpResponse:
    """Revoke one's own API token: a confirmation page, then the POST that does it."""
    token = Token.objects.filter(user=request.user).first()
    if token is None:
        messages.info(request, _("You have no API token."))
        return redirect("accounts:password_change")
    if request.method == "POST":
        services.api_token_revoke(actor=request.user, token=token)
        messages.success(request, _("Your API token was revoked: programs using it are refused."))
        return redirect("accounts:password_change")
    context = {"token": _own_tokens(request.user)[0]}
    return render(request, "accounts/api_token_revoke.html", context)


@login_required
def otp_setup(request: AuthedRequest) -> HttpResponse:
    user = request.user
    if user.otp_device_set_up and not user.is_verified():  # type: ignore[attr-defined]
        # Replacing a device needs the current one first: otherwise a stolen password
        # would be enough to enrol the thief's phone.
        return redirect(f"{reverse('accounts:otp_verify')}?next={request.path}")
    device = services.otp_pending_device(user=user)
    form = OtpForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        wait = _otp_wait(TOTPDevice.objects.filter(user=user, confirmed=False))
        if services.otp_confirm(
            actor=user,
            request=request,
            token=form.cleaned_data["token"],
        ):
            messages.success(request, _("One-time codes are now on for your account."))
            return redirect(_next_url(request))
        _code_refused(form, wait)
    context = {
        "form": form,
        "qr_svg": services.otp_qr_svg(device),
        "secret": services.otp_secret(device),
    }
    return render(request, "accounts/otp_setup.html", context)


@login_required
def otp_verify(request: AuthedRequest) -> HttpResponse:
    form = OtpForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        wait = _otp_wait(TOTPDevice.objects.filter(user=request.user, confirmed=True))
        if services.otp_verify(
            actor=request.user, request=request, token=form.cleaned_data["token"]
        ):
            return redirect(_next_url(request))
        _code_refused(form, wait)
    return render(request, "accounts/otp_verify.html", {"form": form})


def _otp_wait(devices: Iterable[TOTPDevice]) -> int | None:
    """Seconds before any of the devices reads a code again, or None if one reads it now.

    After a wrong code a device reads no code for a while (1 s, then 2, 4, ...): a right code
    typed meanwhile is refused unread. Asked before the attempt, so that the user is told to
    wait, not that a right code is wrong."""
    until = []
    for device in devices:
        allowed, detail = device.verify_is_allowed()
        if allowed or not detail or not detail.get("locked_until"):
            return None
        until.append(detail["locked_until"])
    if not until:
        return None
    return max(1, math.ceil((min(until) - timezone.now()).total_seconds()))


def _code_refused(form: OtpForm, wait: int | None) -> None:
    if wait is None:
        form.add_error("token", _("The code is wrong or has expired; try the next one."))
        return
    form.add_error(
        "token",
        ngettext(
            "The code was not read: after a wrong code, codes are read again only after a "
            "pause. Wait %(n)d second, then type the code your app shows then.",
            "The code was not read: after a wrong code, codes are read again only after a "
            "pause. Wait %(n)d seconds, then type the code your app shows then.",
            wait,
        )
        % {"n": wait},
    )


# Units -------------------------------------------------------------------------------------


@login_required
@permission_required("accounts.manage_units", raise_exception=True)
def unit_list(request: AuthedRequest) -> HttpResponse:
    form = UnitFilterForm(request.GET or None)
    units = (
        Organisation.objects.for_admin(request.user)
        .select_related("division", "parent")
        .annotate(user_count=Count("users"))
        .order_by("division__code", "name")
    )
    context = {"form": form, "page": paginate(request, form.filter(units))}
    return render_list(request, "accounts/unit_list.html", "accounts/_unit_table.html", context)


@login_required
@permission_required("accounts.manage_units", raise_exception=True)
def unit_create(request: AuthedRequest) -> HttpResponse:
    form = UnitForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            unit = services.unit_create(actor=request.user, data=form.cleaned_data)
        except ValidationError as error:
            apply_errors(form, error)
        else:
            messages.success(request, _("The unit was created."))
            return redirect(unit)
    return render(request, "accounts/unit_form.html", {"form": form})


@login_required
@permission_required("accounts.manage_units", raise_exception=True)
def unit_detail(request: AuthedRequest, pk: int) -> HttpResponse:
    unit = access_unit(request.user, pk)
    users = unit.users.order_by("username")
    children = unit.children.order_by("name")
    context = {"unit": unit, "users": users, "children": children}
    return render(request, "accounts/unit_detail.html", context)


@login_required
@permission_required("accounts.manage_units", raise_exception=True)
def unit_edit(request: AuthedRequest, pk: int) -> HttpResponse:
    unit = access_unit(request.user, pk)
    if not request.user.has_perm("accounts.change_organisation", unit):
        raise PermissionDenied
    form = UnitForm(request.POST or None, initial=model_to_dict(unit), unit=unit)
    if request.method == "POST" and form.is_valid():
        try:
            services.unit_update(actor=request.user, unit=unit, data=form.cleaned_data)
        except ValidationError as error:
            apply_errors(form, error)
        else:
            messages.success(request, _("The unit was saved."))
            return redirect(unit)
    return render(request, "accounts/unit_form.html", {"form": form, "unit": unit})


# Users -------------------------------------------------------------------------------------


@login_required
@permission_required("accounts.manage_users", raise_exception=True)
def user_list(request: AuthedRequest) -> HttpResponse:
    form = UserFilterForm(request.GET or None, actor=request.user)
    users = User.objects.for_admin(request.user).select_related("organisation")
    context = {"form": form, "page": paginate(request, form.filter(users))}
    return render_list(request, "accounts/user_list.html", "accounts/_user_table.html", context)


@login_required
@permission_required("accounts.manage_users", raise_exception=True)
@never_cache
def user_create(request: AuthedRequest) -> HttpResponse:
    actor = request.user
    initial = {"organisation": request.GET.get("organisation") or actor.organisation_id}
    form = UserCreateForm(request.POST or None, actor=actor, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            user, generated = services.user_create(actor=actor, data=form.cleaned_data)
        except ValidationError as error:
            apply_errors(form, error)
        else:
            messages.success(request, _("The user was created."))
            if generated:
                return _show_temporary_password(request, user, generated)
            return redirect("accounts:user_detail", user.pk)
    return render(request, "accounts/user_form.html", {"form": form})


@login_required
@permission_required("accounts.manage_users", raise_exception=True)
def user_detail(request: AuthedRequest, pk: int) -> HttpResponse:
    target = access_user(request.user, pk)
    return render(request, "accounts/user_detail.html", {"target": target})


@login_required
@permission_required("accounts.manage_users", raise_exception=True)
def user_edit(request: AuthedRequest, pk: int) -> HttpResponse:
    target = access_user(request.user, pk)
    if not request.user.has_perm("accounts.change_user", target):
        raise PermissionDenied
    initial = model_to_dict(target, fields=UserEditForm.Meta.fields)
    form = UserEditForm(request.POST or None, actor=request.user, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.user_update(actor=request.user, user=target, data=form.cleaned_data)
        except ValidationError as error:
            apply_errors(form, error)
        else:
            messages.success(request, _("The user was saved."))
            return redirect("accounts:user_detail", target.pk)
    return render(request, "accounts/user_form.html", {"form": form, "target": target})


def _show_temporary_password(request: AuthedRequest, user: User, password: str) -> HttpResponse:
    """The one page that shows a temporary password; never cached, never stored."""
    response = render(
        request, "accounts/user_password.html", {"target": user, "password": password}
    )
    response["Cache-Control"] = "no-store"
    return response


@login_required
@permission_required("accounts.manage_users", raise_exception=True)
@require_POST
def user_reset_password(request: AuthedRequest, pk: int) -> HttpResponse:
    target = access_user(request.user, pk)
    password = services.user_reset_password(actor=request.user, user=target)
    return _show_temporary_password(request, target, password)


@login_required
@permission_required("accounts.manage_users", raise_exception=True)
@require_POST
def user_deactivate(request: AuthedRequest, pk: int) -> HttpResponse:
    target = access_user(request.user, pk)
    try:
        services.user_deactivate(actor=request.user, user=target)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("The account was deactivated and signed out."))
    return redirect("accounts:user_detail", target.pk)
