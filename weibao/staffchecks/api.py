"""The staffchecks API: rosters and check results, read-only, with the pages' policy.

Results come out as the unit sees them ("clear", "pending", "barred") and nothing from the
register; every look at a request's results is audited like the page.
"""

from __future__ import annotations

from typing import Any

from django.db.models import prefetch_related_objects
from rest_framework import mixins, serializers, viewsets
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.routers import BaseRouter

from weibao.core.api import ModelSerializer, RulesPermission, user_of
from weibao.staffchecks import services
from weibao.staffchecks.access import access_batch
from weibao.staffchecks.models import CheckBatch, CheckItem, StaffMember


class StaffMemberSerializer(ModelSerializer):
    name = serializers.CharField(source="person.masked_name", read_only=True)
    id_number = serializers.CharField(source="person.masked_id_number", read_only=True)
    # Codes as plain strings: their choice sets share names ("role", "status") with other apps'.
    role = serializers.CharField(read_only=True)
    status = serializers.CharField(read_only=True)

    class Meta:
        model = StaffMember
        fields = ["id", "unit", "name", "id_number", "role", "start_date", "end_date", "status",
                  "last_checked_on"]  # fmt: skip
        read_only_fields = fields


class CheckItemSerializer(ModelSerializer):
    name = serializers.CharField(source="masked_name", read_only=True)
    id_number = serializers.CharField(source="masked_id_number", read_only=True)
    result = serializers.CharField(source="unit_result", read_only=True)
    action = serializers.CharField(read_only=True)

    class Meta:
        model = CheckItem
        fields = ["id", "staff", "name", "id_number", "result", "action", "action_due"]
        read_only_fields = fields


class CheckBatchSerializer(ModelSerializer):
    kind = serializers.CharField(read_only=True)
    status = serializers.CharField(read_only=True)

    class Meta:
        model = CheckBatch
        fields = ["id", "unit", "kind", "year", "status", "total", "clear_count", "barred_count",
                  "pending_count", "created_at", "completed_at"]  # fmt: skip
        read_only_fields = fields


class CheckBatchDetailSerializer(CheckBatchSerializer):
    items = CheckItemSerializer(many=True, read_only=True)

    class Meta(CheckBatchSerializer.Meta):
        fields = [*CheckBatchSerializer.Meta.fields, "items"]
        read_only_fields = fields


class StaffMemberViewSet(mixins.ListModelMixin, viewsets.GenericViewSet):
    """Roster entries of the units the caller may see; names and ID numbers masked."""

    permission_classes = [RulesPermission]
    permission_required = "staffchecks.view_staffchecks"
    serializer_class = StaffMemberSerializer
    filterset_fields = ["unit", "status", "role"]

    def get_queryset(self) -> Any:
        return StaffMember.objects.for_user(user_of(self.request)).select_related("person")


class CheckBatchViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """Check requests and their results as the unit sees them."""

    permission_classes = [RulesPermission]
    permission_required = "staffchecks.view_staffchecks"
    filterset_fields = ["unit", "kind", "year", "status"]

    def get_serializer_class(self) -> type[serializers.BaseSerializer]:
        return CheckBatchDetailSerializer if self.action == "retrieve" else CheckBatchSerializer

    def get_queryset(self) -> Any:
        batches = CheckBatch.objects.for_user(user_of(self.request))
        if self.action == "retrieve":
            batches = batches.prefetch_related("items")
        return batches

    def get_object(self) -> CheckBatch:
        batch = access_batch(user_of(self.request), self.kwargs["pk"])
        prefetch_related_objects([batch], "items")
        self.check_object_permissions(self.request, batch)
        return batch

    def retrieve(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        batch = self.get_object()
        services.batch_view(actor=user_of(request), batch=batch, via="api")
        return Response(self.get_serializer(batch).data)


def register(router: BaseRouter) -> None:
    """Add this app's viewsets to the API router."""
    router.register("staff", StaffMemberViewSet, basename="staffmember")
    router.register("staff-checks", CheckBatchViewSet, basename="checkbatch")
