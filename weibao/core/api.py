"""API permission: a signed-in, active member; object checks go through the same `rules` perms."""

from __future__ import annotations

from collections.abc import MutableMapping
from typing import TYPE_CHECKING, Any, cast

from django.db import models
from django.utils.translation import gettext_lazy as _
from rest_framework import exceptions, serializers
from rest_framework.authentication import SessionAuthentication, TokenAuthentication
from rest_framework.permissions import SAFE_METHODS, BasePermission
from rest_framework.request import Request

from weibao.accounts import tokens
from weibao.accounts.middleware import SecurityPolicyMiddleware
from weibao.accounts.policy import is_member
from weibao.core.api_fields import BoundedDateTimeField

if TYPE_CHECKING:
    from weibao.accounts.models import User


def user_of(request: Request) -> User:
    """The signed-in user of an API request (the permission classes let no one else through)."""
    return cast("User", request.user)


class TokenExpired(exceptions.APIException):
    """A 401 that names the reason. Not an AuthenticationFailed: DRF turns those into a 403
    when the first authentication class (the session) sends no WWW-Authenticate header."""

    status_code = 401
    default_detail = _("This API token has expired: ask for a new one at POST /api/v1/token/.")
    default_code = "token_expired"
    auth_header = "Token"


class ExpiringTokenAuthentication(TokenAuthentication):
    """DRF's token authentication, refusing a token older than API_TOKEN_MAX_AGE_DAYS (no query
    beyond DRF's own: the age is the token's `created`)."""

    def authenticate_credentials(self, key: str) -> tuple[Any, Any]:
        user, token = super().authenticate_credentials(key)  # unknown key, inactive user
        if tokens.is_expired(token):
            raise TokenExpired
        return (user, token)


class IsActiveMember(BasePermission):
    """An active user who owes no login-security step (one-time code, expired password)."""

    def has_permission(self, request: Request, view: Any) -> bool:
        user = request.user
        if not is_member(user):
            return False
        if isinstance(request.successful_authenticator, SessionAuthentication):
            step = SecurityPolicyMiddleware.required_step(request._request)
        elif user.password_expired:  # type: ignore[union-attr]
            # A token outlives the password's age limit only until the limit is reached.
            step = "accounts:password_change"
        else:
            step = None
        if step is not None:
            self.message = SecurityPolicyMiddleware.step_message(step)
            return False
        return True


class RulesPermission(IsActiveMember):
    """Checks the view's `rules` permissions.

    `permission_required` (whole resource) and `object_permission` (one record) apply to every
    request; `write_permission_required` and `write_object_permission` also apply to writes.
    """

    def _perms(self, request: Request, view: Any, names: tuple[str, str]) -> list[str]:
        read, write = (getattr(view, name, None) for name in names)
        perms = [read]
        if request.method not in SAFE_METHODS:
            perms.append(write)
        return [perm for perm in perms if perm is not None]

    def has_permission(self, request: Request, view: Any) -> bool:
        if not super().has_permission(request, view):
            return False
        perms = self._perms(request, view, ("permission_required", "write_permission_required"))
        return all(request.user.has_perm(perm) for perm in perms)

    def has_object_permission(self, request: Request, view: Any, obj: Any) -> bool:
        perms = self._perms(request, view, ("object_permission", "write_object_permission"))
        return all(request.user.has_perm(perm, obj) for perm in perms)


class ModelSerializer(serializers.ModelSerializer):
    """The platform's model serializer. A read-only choice field keeps `allow_blank` from its
    model field (DRF drops it for read-only fields), so the schema says that "" may come back
    where no choice is made yet (a file not closed, a report not decided). Every date and time
    is bounded to the years the platform can mean (BoundedDateTimeField): a time in the year
    646 would come back in that year's local mean time, which no client can parse."""

    serializer_field_mapping = {
        **serializers.ModelSerializer.serializer_field_mapping,
        models.DateTimeField: BoundedDateTimeField,
    }

    def include_extra_kwargs(
        self, kwargs: MutableMapping[str, Any], extra_kwargs: MutableMapping[str, Any]
    ) -> MutableMapping[str, Any]:
        blank = bool(kwargs.get("allow_blank")) and "choices" in kwargs
        kwargs = super().include_extra_kwargs(kwargs, extra_kwargs)
        if blank:
            kwargs["allow_blank"] = True
        return kwargs


# Serializer component name -> the fields some readers do not get (left out of the answer by
# `to_representation`): the schema lists them as optional (weibao.api.schema).
WITHHELD: dict[str, frozenset[str]] = {}


def withheld(*names: str) -> Any:
    """Mark a serializer's fields that it leaves out for some readers, for the schema."""

    def mark(cls: type) -> type:
        WITHHELD[cls.__name__.removesuffix("Serializer")] = frozenset(names)
        return cls

    return mark
