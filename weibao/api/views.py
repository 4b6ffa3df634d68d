"""API views: each resource starts from its model's `for_user` QuerySet."""

from __future__ import annotations

from django.http import Http404
from rest_framework import viewsets
from rest_framework.decorators import api_view
from rest_framework.request import Request
from rest_framework.response import Response

from weibao.accounts.models import Division, Organisation
from weibao.api import serializers
from weibao.api.permissions import RulesPermission
from weibao.audit.models import AuditEvent
from weibao.core.models import Notification


@api_view(["GET"])
def me(request: Request) -> Response:
    return Response(serializers.MeSerializer(request.user).data)


@api_view(["POST"])
def token(request: Request) -> Response:
    raise Http404


class DivisionViewSet(viewsets.ReadOnlyModelViewSet):
    serializer_class = serializers.DivisionSerializer
    queryset = Division.objects.all()
    filterset_fields = ["level", "parent"]


class OrganisationViewSet(viewsets.ReadOnlyModelViewSet):
    serializer_class = serializers.OrganisationSerializer
    filterset_fields = ["kind", "division"]

    def get_queryset(self):  # type: ignore[no-untyped-def]
        return Organisation.objects.for_user(self.request.user).select_related("division")


class AuditEventViewSet(viewsets.ReadOnlyModelViewSet):
    serializer_class = serializers.AuditEventSerializer
    permission_classes = [RulesPermission]
    permission_required = "audit.view_auditevent"
    filterset_fields = ["action", "actor", "organisation", "target_type", "target_id"]

    def get_queryset(self):  # type: ignore[no-untyped-def]
        return AuditEvent.objects.for_user(self.request.user)


class NotificationViewSet(viewsets.ReadOnlyModelViewSet):
    serializer_class = serializers.NotificationSerializer

    def get_queryset(self):  # type: ignore[no-untyped-def]
        return Notification.objects.for_user(self.request.user)
