"""Legal vice-principals in the API: appointments and duty records, written through the
legalvp services under the same `rules` policy as the pages."""

from __future__ import annotations

from typing import Any

from django.db.models import Prefetch, QuerySet
from django.utils import timezone
from drf_spectacular.utils import extend_schema
from rest_framework import mixins, serializers, viewsets
from rest_framework.decorators import action
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.routers import BaseRouter

from weibao.accounts.models import Organisation, User
from weibao.core.api import ModelSerializer, RulesPermission, user_of
from weibao.legalvp import services
from weibao.legalvp.access import access_appointment
from weibao.legalvp.models import Appointment, AppointmentSchool, DutyRecord
from weibao.schools.models import School


class AppointmentSerializer(ModelSerializer):
    name = serializers.CharField(source="person.name", read_only=True)
    serial_number = serializers.CharField(read_only=True)
    schools = serializers.SerializerMethodField()
    law_hours_this_year = serializers.DecimalField(
        source="law_hours", max_digits=8, decimal_places=1, read_only=True
    )

    class Meta:
        model = Appointment
        fields = ["id", "name", "sending_unit", "sending_kind", "position", "phone",
                  "appointing_unit", "schools", "term_start", "term_end", "status", "ended_on",
                  "renewed_from", "serial_number", "issued_on", "law_hours_this_year"]  # fmt: skip
        read_only_fields = fields

    def get_schools(self, obj: Appointment) -> list[int]:
        return [link.school_id for link in obj.school_links.all()]


class AppointmentWriteSerializer(serializers.Serializer):
    """Input for create; the services do the real checks (two schools, the term...)."""

    name = serializers.CharField(max_length=50)
    id_number = serializers.CharField(max_length=25)
    phone = serializers.CharField(max_length=25, required=False, allow_blank=True)
    sending_unit = serializers.PrimaryKeyRelatedField(queryset=Organisation.objects.all())
    sending_kind = serializers.ChoiceField(
        choices=Appointment.SendingKind.choices, required=False, allow_blank=True
    )
    position = serializers.CharField(max_length=100, required=False, allow_blank=True)
    appointing_unit = serializers.PrimaryKeyRelatedField(
        queryset=Organisation.objects.all(), required=False
    )
    schools = serializers.PrimaryKeyRelatedField(queryset=School.objects.all(), many=True)
    term_start = serializers.DateField()
    term_end = serializers.DateField(required=False, allow_null=True)
    issued_on = serializers.DateField(required=False, allow_null=True)
    appointee_user = serializers.PrimaryKeyRelatedField(
        queryset=User.objects.filter(is_active=True), required=False, allow_null=True
    )


class RenewSerializer(serializers.Serializer):
    term_start = serializers.DateField(required=False, allow_null=True)
    term_end = serializers.DateField(required=False, allow_null=True)
    schools = serializers.PrimaryKeyRelatedField(
        queryset=School.objects.all(), many=True, required=False
    )


class EndSerializer(serializers.Serializer):
    ended_on = serializers.DateField(required=False, allow_null=True)
    reason = serializers.CharField(max_length=200, required=False, allow_blank=True)


class AppointmentViewSet(
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    viewsets.GenericViewSet,
):
    """Legal vice-principal appointments the caller may see; the education bureau and county
    coordinators create, renew and end them."""

    permission_classes = [RulesPermission]
    permission_required = "legalvp.view_legalvp"
    object_permission = "legalvp.view_appointment"
    write_permission_required = "legalvp.manage_appointments"
    filterset_fields = ["status", "sending_kind", "sending_unit"]

    read_serializer_class = AppointmentSerializer

    def get_serializer_class(self) -> type[serializers.BaseSerializer]:
        return {
            "create": AppointmentWriteSerializer,
            "renew": RenewSerializer,
            "end": EndSerializer,
        }.get(self.action or "", AppointmentSerializer)

    def get_queryset(self) -> QuerySet[Appointment]:
        links = AppointmentSchool.objects.order_by("school__organisation__name")
        return (
            Appointment.objects.for_user(user_of(self.request))
            .with_law_hours(timezone.localdate().year)
            .select_related("person")
            .prefetch_related(Prefetch("school_links", queryset=links))
        )

    def _read(self, appointment: Appointment, status: int = 200) -> Response:
        fresh = self.get_queryset().get(pk=appointment.pk)
        data = AppointmentSerializer(fresh, context=self.get_serializer_context()).data
        return Response(data, status=status)

    def create(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        appointment = services.appointment_create(
            actor=user_of(request), data=serializer.validated_data
        )
        return self._read(appointment, status=201)

    @extend_schema(responses={201: AppointmentSerializer})
    @action(detail=True, methods=["post"])
    def renew(self, request: Request, pk: str | None = None) -> Response:
        """A new term following this one; the old one becomes "renewed"."""
        appointment = self.get_object()
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        new = services.appointment_renew(
            actor=user_of(request),
            appointment=appointment,
            term_start=data.get("term_start"),
            term_end=data.get("term_end"),
            schools=data.get("schools"),
        )
        return self._read(new, status=201)

    @action(detail=True, methods=["post"])
    def end(self, request: Request, pk: str | None = None) -> Response:
        appointment = self.get_object()
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        services.appointment_end(
            actor=user_of(request),
            appointment=appointment,
            ended_on=serializer.validated_data.get("ended_on"),
            reason=serializer.validated_data.get("reason", ""),
        )
        return self._read(appointment)


class DutyRecordSerializer(ModelSerializer):
    class Meta:
        model = DutyRecord
        fields = ["id", "appointment", "school", "kind", "date", "hours", "notes"]
        read_only_fields = ["id"]
        # The services check the school and the hours; the model's own checks would only
        # repeat them with less helpful messages.
        validators: list[Any] = []
        extra_kwargs = {
            "appointment": {"queryset": Appointment.objects.all()},
            "school": {"queryset": School.objects.all()},
            "hours": {"min_value": None, "max_value": None},
        }


class DutyRecordViewSet(
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    viewsets.GenericViewSet,
):
    """Duty records the caller may see; the appointee (or the bureau) adds them."""

    permission_classes = [RulesPermission]
    permission_required = "legalvp.view_legalvp"
    serializer_class = DutyRecordSerializer
    filterset_fields = ["appointment", "school", "kind"]

    def get_queryset(self) -> QuerySet[DutyRecord]:
        return DutyRecord.objects.for_user(user_of(self.request))

    def create(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = dict(serializer.validated_data)
        appointment = access_appointment(user_of(request), data.pop("appointment").pk)
        duty = services.duty_record_add(actor=user_of(request), appointment=appointment, data=data)
        return Response(self.get_serializer(duty).data, status=201)


def register(router: BaseRouter) -> None:
    """Add this app's viewsets to the API router."""
    router.register("legalvp/appointments", AppointmentViewSet, basename="legalvp-appointment")
    router.register("legalvp/duty-records", DutyRecordViewSet, basename="legalvp-dutyrecord")
