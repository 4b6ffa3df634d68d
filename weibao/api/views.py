"""API views: each resource starts from its model's `for_user` (or `for_admin`) QuerySet, and
every write goes through the same service as the pages."""

from __future__ import annotations

from typing import Any

import django_filters
from django.contrib.auth import authenticate
from django.db.models import QuerySet
from django.utils.translation import gettext as _
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import mixins, status, viewsets
from rest_framework.decorators import (
    action,
    api_view,
    authentication_classes,
    permission_classes,
)
from rest_framework.permissions import AllowAny
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.serializers import BaseSerializer

from weibao.accounts import services as accounts_services
from weibao.accounts.models import Division, Organisation, User
from weibao.api import serializers
from weibao.audit.models import AuditEvent
from weibao.audit.services import log_searched
from weibao.core import ratelimit
from weibao.core import services as core_services
from weibao.core.api import RulesPermission, user_of
from weibao.core.models import Notification


@extend_schema(responses=serializers.MeSerializer)
@api_view(["GET"])
def me(request: Request) -> Response:
    return Response(serializers.MeSerializer(request.user).data)


@extend_schema(
    request=serializers.TokenRequestSerializer,
    responses={
        200: serializers.TokenSerializer,
        400: OpenApiResponse(description="Wrong username, password or one-time code."),
        403: OpenApiResponse(description="The password has expired."),
        429: OpenApiResponse(
            description="Locked after too many failed logins, or more than six tries a minute "
            "for the account or from the address (see the Retry-After header)."
        ),
    },
    auth=[],
)
@api_view(["POST"])
@authentication_classes([])
@permission_classes([AllowAny])
def token(request: Request) -> Response:
    """Exchange a username, password (and one-time code, where the account uses them) for a
    token. Failures are audited and count towards the lockout like the login page's."""
    form = serializers.TokenRequestSerializer(data=request.data)
    form.is_valid(raise_exception=True)
    data = form.validated_data
    # Six tries a minute by account and by address, besides the lockout (weibao.core.ratelimit).
    too_many = ratelimit.login_refusal(request._request, data["username"], name="token")
    if too_many is not None:
        return Response(
            {"detail": too_many.messages[0]},
            status=status.HTTP_429_TOO_MANY_REQUESTS,
            headers={"Retry-After": str(too_many.retry_after)},
        )
    # The Django request: django-axes counts failures and flags lockouts on it.
    user = authenticate(request._request, username=data["username"], password=data["password"])
    if user is None:
        if getattr(request._request, "axes_locked_out", False):
            # AxesMiddleware replaces this with the lockout response.
            return Response(status=status.HTTP_429_TOO_MANY_REQUESTS)
        return Response(
            {"detail": _("The username or password is wrong.")},
            status=status.HTTP_400_BAD_REQUEST,
        )
    assert isinstance(user, User)
    try:
        key = accounts_services.api_token_issue(
            actor=user, request=request._request, otp_code=data.get("otp_code")
        )
    except accounts_services.TokenRefused as refused:
        if refused.expired:
            return Response({"detail": refused.message}, status=status.HTTP_403_FORBIDDEN)
        return Response({refused.field: [refused.message]}, status=status.HTTP_400_BAD_REQUEST)
    return Response(serializers.TokenSerializer({"token": key}).data)


# Divisions and units -----------------------------------------------------------------------


class DivisionViewSet(viewsets.ReadOnlyModelViewSet):
    serializer_class = serializers.DivisionSerializer
    queryset = Division.objects.all()
    filterset_fields = ["level", "parent", "code"]


class OrganisationFilter(django_filters.FilterSet):
    name = django_filters.CharFilter(lookup_expr="icontains")
    within = django_filters.ModelChoiceFilter(
        queryset=Division.objects.all(),
        method="filter_within",
        label="Units placed in this division or below it",
    )

    class Meta:
        model = Organisation
        fields = ["kind", "division", "parent", "is_active", "credit_code"]

    def filter_within(self, units: QuerySet, name: str, value: Division) -> QuerySet:
        return units.filter(division__code__startswith=value.prefix)


class OrganisationViewSet(
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    mixins.UpdateModelMixin,
    viewsets.GenericViewSet,
):
    """Units: every member reads them; system administrators create and change them."""

    queryset = Organisation.objects.none()
    serializer_class = serializers.OrganisationSerializer
    permission_classes = [RulesPermission]
    write_permission_required = "accounts.manage_units"
    write_object_permission = "accounts.change_organisation"
    filterset_class = OrganisationFilter

    def get_queryset(self) -> QuerySet[Organisation]:
        return Organisation.objects.for_user(user_of(self.request)).select_related("division")

    def perform_create(self, serializer: BaseSerializer) -> None:
        serializer.instance = accounts_services.unit_create(
            actor=user_of(self.request),
            data=serializer.validated_data,
        )

    def perform_update(self, serializer: BaseSerializer) -> None:
        serializer.instance = accounts_services.unit_update(
            actor=user_of(self.request),
            unit=serializer.instance,  # type: ignore[arg-type]
            data=serializer.validated_data,
        )


# Users -------------------------------------------------------------------------------------


class UserFilter(django_filters.FilterSet):
    username = django_filters.CharFilter(lookup_expr="icontains")

    class Meta:
        model = User
        fields = ["role", "organisation", "is_active"]


class UserViewSet(
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    mixins.UpdateModelMixin,
    viewsets.GenericViewSet,
):
    """Users, for their administrators: a system administrator's all, a unit admin's own."""

    queryset = User.objects.none()
    serializer_class = serializers.UserSerializer
    permission_classes = [RulesPermission]
    permission_required = "accounts.manage_users"
    object_permission = "accounts.change_user"
    filterset_class = UserFilter

    def get_queryset(self) -> QuerySet[User]:
        return User.objects.for_admin(user_of(self.request)).select_related("organisation")

    def get_serializer_class(self) -> type[BaseSerializer]:
        if self.action == "create":
            return serializers.UserCreateSerializer
        return serializers.UserSerializer

    def perform_create(self, serializer: BaseSerializer) -> None:
        user, generated = accounts_services.user_create(
            actor=user_of(self.request),
            data=serializer.validated_data,
        )
        user.temporary_password = generated  # type: ignore[attr-defined]
        serializer.instance = user

    def perform_update(self, serializer: BaseSerializer) -> None:
        serializer.instance = accounts_services.user_update(
            actor=user_of(self.request),
            user=serializer.instance,  # type: ignore[arg-type]
            data=serializer.validated_data,
        )

    @extend_schema(request=None, responses=serializers.UserSerializer)
    @action(detail=True, methods=["post"])
    def deactivate(self, request: Request, pk: Any = None, format: str | None = None) -> Response:
        user = accounts_services.user_deactivate(actor=user_of(request), user=self.get_object())
        return Response(serializers.UserSerializer(user).data)

    @extend_schema(request=None, responses=serializers.TemporaryPasswordSerializer)
    @action(detail=True, methods=["post"], url_path="reset-password")
    def reset_password(
        self, request: Request, pk: Any = None, format: str | None = None
    ) -> Response:
        password = accounts_services.user_reset_password(
            actor=user_of(request),
            user=self.get_object(),
        )
        data = serializers.TemporaryPasswordSerializer({"temporary_password": password}).data
        response = Response(data)
        response["Cache-Control"] = "no-store"
        return response


# Audit log and notifications ---------------------------------------------------------------


class AuditEventFilter(django_filters.FilterSet):
    since = django_filters.IsoDateTimeFilter(field_name="at", lookup_expr="gte")
    until = django_filters.IsoDateTimeFilter(field_name="at", lookup_expr="lte")
    actor_username = django_filters.CharFilter(lookup_expr="icontains")

    class Meta:
        model = AuditEvent
        fields = ["action", "actor", "organisation", "target_type", "target_id"]


class AuditEventViewSet(viewsets.ReadOnlyModelViewSet):
    """The audit log, for auditors only. Searches of it are themselves recorded."""

    queryset = AuditEvent.objects.none()
    serializer_class = serializers.AuditEventSerializer
    permission_classes = [RulesPermission]
    permission_required = "audit.view_auditevent"
    filterset_class = AuditEventFilter

    def get_queryset(self) -> QuerySet[AuditEvent]:
        return AuditEvent.objects.for_user(user_of(self.request))

    def list(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        filters = {k: v for k, v in request.query_params.items() if k != "page" and v}
        if filters and "page" not in request.query_params:
            log_searched(actor=user_of(request), filters=filters, via="api")
        return super().list(request, *args, **kwargs)


class NotificationViewSet(viewsets.ReadOnlyModelViewSet):
    """The signed-in user's own inbox."""

    queryset = Notification.objects.none()
    serializer_class = serializers.NotificationSerializer
    filterset_fields = ["kind"]

    def get_queryset(self) -> QuerySet[Notification]:
        return Notification.objects.for_user(user_of(self.request))

    @extend_schema(request=None, responses=serializers.NotificationSerializer)
    @action(detail=True, methods=["post"])
    def read(self, request: Request, pk: Any = None, format: str | None = None) -> Response:
        notification = self.get_object()
        core_services.notification_mark_read(actor=user_of(request), notification=notification)
        return Response(serializers.NotificationSerializer(notification).data)
