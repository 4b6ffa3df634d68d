"""The schools API: school records and campus-liaison appointments, through the services."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet
from django.utils.translation import gettext as _
from drf_spectacular.utils import extend_schema_field
from rest_framework import mixins, serializers, viewsets
from rest_framework.decorators import action
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.routers import BaseRouter

from weibao.accounts.models import Division, User
from weibao.core.api import ModelSerializer, RulesPermission, user_of
from weibao.schools import services
from weibao.schools.models import LiaisonAppointment, School


@extend_schema_field(
    {"type": "string", "description": "One of: " + ", ".join(School.Kind.values) + "."}
)
class SchoolKindField(serializers.ChoiceField):
    """The school kind, documented without an enum component: drf-spectacular names enums by
    field name, and "kind" with these values would collide with other apps' "kind" enums
    (until settings.SPECTACULAR_SETTINGS has ENUM_NAME_OVERRIDES for it)."""


class LiaisonSerializer(ModelSerializer):
    school_name = serializers.CharField(source="school.name", read_only=True)
    user_name = serializers.CharField(source="user.full_name", read_only=True)
    is_active = serializers.BooleanField(read_only=True)
    position = serializers.ChoiceField(choices=LiaisonAppointment.Position.choices, read_only=True)

    class Meta:
        model = LiaisonAppointment
        fields = ["id", "school", "school_name", "user", "user_name", "position", "started_on",
                  "ended_on", "is_active", "appointed_by"]  # fmt: skip
        read_only_fields = fields


class SchoolSerializer(ModelSerializer):
    name = serializers.CharField(source="organisation.name", read_only=True)
    credit_code = serializers.CharField(source="organisation.credit_code", read_only=True)
    division = serializers.IntegerField(source="organisation.division_id", read_only=True)
    kind = SchoolKindField(choices=School.Kind.choices, read_only=True)
    ownership = serializers.ChoiceField(choices=School.Ownership.choices, read_only=True)
    has_liaison = serializers.BooleanField(read_only=True)
    liaisons = LiaisonSerializer(source="active_liaisons", many=True, read_only=True)

    class Meta:
        model = School
        fields = ["id", "organisation", "name", "credit_code", "kind", "ownership", "division",
                  "address", "latitude", "longitude", "pupil_count", "staff_count",
                  "principal_name", "principal_phone", "closed_on", "has_liaison",
                  "liaisons"]  # fmt: skip
        read_only_fields = fields


class SchoolWriteSerializer(serializers.Serializer):
    """Input for create and update; the schools services do the real checks."""

    name = serializers.CharField(max_length=200)
    credit_code = serializers.CharField(max_length=25, required=False, allow_blank=True)
    kind = SchoolKindField(choices=School.Kind.choices)
    ownership = serializers.ChoiceField(choices=School.Ownership.choices, required=False)
    division = serializers.PrimaryKeyRelatedField(queryset=Division.objects.all())
    address = serializers.CharField(max_length=200, required=False, allow_blank=True)
    latitude = serializers.CharField(
        max_length=20, required=False, allow_blank=True, allow_null=True
    )
    longitude = serializers.CharField(
        max_length=20, required=False, allow_blank=True, allow_null=True
    )
    pupil_count = serializers.IntegerField(min_value=0, required=False)
    staff_count = serializers.IntegerField(min_value=0, required=False)
    principal_name = serializers.CharField(max_length=50, required=False, allow_blank=True)
    principal_phone = serializers.CharField(max_length=25, required=False, allow_blank=True)


class AppointSerializer(serializers.Serializer):
    school = serializers.PrimaryKeyRelatedField(queryset=School.objects.all())
    user = serializers.PrimaryKeyRelatedField(queryset=User.objects.all())
    position = serializers.ChoiceField(
        choices=LiaisonAppointment.Position.choices, default=LiaisonAppointment.Position.MAIN
    )


class SchoolViewSet(
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    mixins.UpdateModelMixin,
    viewsets.GenericViewSet,
):
    """The county's schools. Filters: `kind`, `ownership`, `township` (division id),
    `has_liaison` (true/false), `closed` (true to include closed schools)."""

    permission_classes = [RulesPermission]
    permission_required = "schools.list_schools"
    # `kind` and `ownership` are filtered by hand: django-filter's enums would collide in the
    # schema with other apps' fields of the same name.

    @property
    def write_permission_required(self) -> str | None:
        return "schools.add_school" if self.action == "create" else None

    @property
    def object_permission(self) -> str:
        if self.action in ("update", "partial_update"):
            return "schools.change_school"
        return "schools.view_school"

    read_serializer_class = SchoolSerializer

    def get_serializer_class(self) -> type[serializers.BaseSerializer]:
        if self.action in ("create", "update", "partial_update"):
            return SchoolWriteSerializer
        return SchoolSerializer

    def get_queryset(self) -> QuerySet[School]:
        return services.with_liaisons(School.objects.for_user(user_of(self.request)))

    def filter_queryset(self, queryset: QuerySet[Any]) -> QuerySet[Any]:
        schools = super().filter_queryset(queryset)
        if self.action != "list":
            return schools
        params = self.request.query_params
        for name in ("kind", "ownership"):
            if params.get(name):
                schools = schools.filter(**{name: params[name]})
        if params.get("closed") not in ("1", "true"):
            schools = schools.filter(closed_on__isnull=True)
        township_id = params.get("township", "")
        township = (
            Division.objects.filter(pk=int(township_id)).first() if township_id.isdigit() else None
        )
        if township is not None:
            schools = schools.filter(organisation__division__code__startswith=township.prefix)
        if params.get("has_liaison") in ("true", "false", "1", "0"):
            schools = schools.filter(has_liaison=params["has_liaison"] in ("true", "1"))
        return schools

    def create(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        school = services.school_create(actor=user_of(request), data=serializer.validated_data)
        return Response(self._read(school).data, status=201)

    def update(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        school = self.get_object()
        serializer = self.get_serializer(data=request.data, partial=kwargs.pop("partial", False))
        serializer.is_valid(raise_exception=True)
        services.school_update(
            actor=user_of(request), school=school, data=serializer.validated_data
        )
        return Response(self._read(school).data)

    def _read(self, school: School) -> SchoolSerializer:
        fresh = self.get_queryset().get(pk=school.pk)
        return SchoolSerializer(fresh, context=self.get_serializer_context())


class LiaisonViewSet(
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    viewsets.GenericViewSet,
):
    """Campus-liaison appointments, current and past. Filters: `school`, `user`, `position`,
    `active` (true for current terms only). POST appoints (ending the position's current term);
    POST .../end/ ends a term."""

    permission_classes = [RulesPermission]
    permission_required = "schools.view_liaisons"
    object_permission = "schools.view_liaisons"
    filterset_fields = ["school", "user"]

    @property
    def write_object_permission(self) -> str | None:
        return "schools.appoint_liaison" if self.action == "end" else None

    read_serializer_class = LiaisonSerializer

    def get_serializer_class(self) -> type[serializers.BaseSerializer]:
        return AppointSerializer if self.action == "create" else LiaisonSerializer

    def get_queryset(self) -> QuerySet[LiaisonAppointment]:
        return LiaisonAppointment.objects.for_user(user_of(self.request)).select_related(
            "school__organisation", "user"
        )

    def filter_queryset(self, queryset: QuerySet[Any]) -> QuerySet[Any]:
        appointments = super().filter_queryset(queryset)
        params = self.request.query_params
        if self.action == "list" and params.get("active") in ("1", "true"):
            appointments = appointments.filter(ended_on__isnull=True)
        if self.action == "list" and params.get("position"):
            appointments = appointments.filter(position=params["position"])
        return appointments

    def create(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        school = School.objects.for_user(user_of(request)).filter(pk=data["school"].pk).first()
        if school is None:
            return Response({"school": [_("There is no such school.")]}, status=400)
        appointment = services.liaison_appoint(
            actor=user_of(request), school=school, user=data["user"], position=data["position"]
        )
        return Response(LiaisonSerializer(appointment).data, status=201)

    @action(detail=True, methods=["post"])
    def end(self, request: Request, pk: str | None = None) -> Response:
        """End this term without a successor."""
        appointment = self.get_object()
        services.liaison_end(actor=user_of(request), appointment=appointment)
        return Response(LiaisonSerializer(appointment).data)


def register(router: BaseRouter) -> None:
    """Add this app's viewsets to the API router."""
    router.register("schools", SchoolViewSet, basename="school")
    router.register("liaisons", LiaisonViewSet, basename="liaison")
