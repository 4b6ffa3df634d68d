"""Signing in and out, one-time codes, passwords; administration of units and users."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth import logout, update_session_auth_hash
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.contrib.auth.forms import PasswordChangeForm
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from weibao.accounts import services
from weibao.accounts.forms import LoginForm, OtpForm


def _next_url(request: HttpRequest) -> str:
    target = request.POST.get("next") or request.GET.get("next") or ""
    if url_has_allowed_host_and_scheme(target, {request.get_host()}):
        return target
    return "/"


def login_view(request: HttpRequest) -> HttpResponse:
    return auth_views.LoginView.as_view(
        template_name="accounts/login.html",
        authentication_form=LoginForm,
        redirect_authenticated_user=True,
    )(request)


def locked_out(
    request: HttpRequest, credentials: Any = None, *args: Any, **kw: Any
) -> HttpResponse:
    """Shown by django-axes instead of the login form once an account or address is locked."""
    return render(request, "accounts/locked_out.html", status=429)


@require_POST
def logout_view(request: HttpRequest) -> HttpResponse:
    logout(request)
    return redirect("accounts:login")


@login_required
def password_change(request: HttpRequest) -> HttpResponse:
    form = PasswordChangeForm(request.user, request.POST or None)
    if request.method == "POST" and form.is_valid():
        services.password_change(
            actor=request.user, new_password=form.cleaned_data["new_password1"]
        )
        update_session_auth_hash(request, request.user)
        messages.success(request, _("Your password was changed."))
        return redirect(_next_url(request))
    expired = request.user.password_expired  # type: ignore[union-attr]
    return render(request, "accounts/password_change.html", {"form": form, "expired": expired})


@login_required
def otp_setup(request: HttpRequest) -> HttpResponse:
    device = services.otp_pending_device(user=request.user)
    form = OtpForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        if services.otp_confirm(
            actor=request.user, request=request, token=form.cleaned_data["token"]
        ):
            messages.success(request, _("One-time codes are now on for your account."))
            return redirect(_next_url(request))
        form.add_error("token", _("The code is wrong or has expired; try the next one."))
    context = {
        "form": form,
        "qr_svg": services.otp_qr_svg(device),
        "secret": services.otp_secret(device),
    }
    return render(request, "accounts/otp_setup.html", context)


@login_required
def otp_verify(request: HttpRequest) -> HttpResponse:
    form = OtpForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        if services.otp_verify(
            actor=request.user, request=request, token=form.cleaned_data["token"]
        ):
            return redirect(_next_url(request))
        form.add_error("token", _("The code is wrong or has expired; try the next one."))
    return render(request, "accounts/otp_verify.html", {"form": form})


# Administration of units and users: written by the admin pages work; stubs until then.
def _todo(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
    raise Http404


unit_list = unit_create = unit_detail = unit_edit = _todo
user_list = user_create = user_detail = user_edit = _todo
user_reset_password = user_deactivate = _todo
