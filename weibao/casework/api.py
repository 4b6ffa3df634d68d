"""The casework API: units' own systems push reports in; the police accept and decide; referrals.

Filing takes an idempotency key (the `Idempotency-Key` header, or an `idempotency_key` field),
unique per reporting unit: a retried push gets the first report back with 200, not a second one.
The reporter's identity and the investigation are left out of the answer unless the caller's unit
may see them (weibao.casework.policy).
"""

from __future__ import annotations

from typing import Any, cast

from django.core.exceptions import ValidationError as DjangoValidationError
from drf_spectacular.utils import extend_schema_field
from rest_framework import mixins, serializers, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import ValidationError
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.routers import BaseRouter

from weibao.accounts.models import Division, Organisation
from weibao.atrisk.models import AtRiskFile
from weibao.casework import services
from weibao.casework.models import Case, Referral, Situation
from weibao.casework.policy import may_see_investigation, may_see_reporter
from weibao.core.api import ModelSerializer, RulesPermission, user_of, withheld
from weibao.core.api_fields import BoundedDateTimeField
from weibao.people.models import Person

REPORTER_FIELDS = ("reporter_name", "reporter_phone", "reporter_position")
INVESTIGATION_FIELDS = ("decision_reasons", "investigation_notes")


def _call(func: Any, **kwargs: Any) -> Any:
    """Run a service; its field-keyed errors become a 400 with the same keys."""
    try:
        return func(**kwargs)
    except DjangoValidationError as error:
        raise ValidationError(
            error.message_dict if hasattr(error, "error_dict") else error.messages
        ) from error


@withheld(*REPORTER_FIELDS, *INVESTIGATION_FIELDS)
class CaseworkReportSerializer(ModelSerializer):
    reference = serializers.CharField(read_only=True)
    child = serializers.CharField(source="child_label", read_only=True)
    accept_overdue = serializers.BooleanField(read_only=True)
    feedback_overdue = serializers.BooleanField(read_only=True)

    class Meta:
        model = Case
        fields = [
            "id",
            "reference",
            "urgent",
            "situations",
            "child",
            "child_description",
            "seen",
            "occurred_at",
            "place",
            "division",
            "suspect",
            "reporting_unit",
            "reporter_name",
            "reporter_phone",
            "reporter_position",
            "police_unit",
            "procuratorate",
            "status",
            "filed_at",
            "accept_due_at",
            "accept_overdue",
            "accepted_at",
            "feedback_due",
            "feedback_overdue",
            "decision",
            "decision_reasons",
            "investigation_notes",
            "transferred_to",
            "feedback",
            "feedback_at",
        ]
        read_only_fields = fields

    def to_representation(self, instance: Case) -> dict[str, Any]:
        data = super().to_representation(instance)
        user = self.context["request"].user
        if not may_see_reporter(user, instance):
            for name in REPORTER_FIELDS:
                data.pop(name, None)
        if not may_see_investigation(user, instance):
            for name in INVESTIGATION_FIELDS:
                data.pop(name, None)
        return data


class CaseworkReportWriteSerializer(serializers.Serializer):
    situations = serializers.ListField(child=serializers.ChoiceField(choices=Situation.choices))
    child = serializers.PrimaryKeyRelatedField(
        queryset=Person.objects.none(), required=False, allow_null=True
    )
    child_description = serializers.CharField(required=False, allow_blank=True)
    seen = serializers.CharField()
    occurred_at = BoundedDateTimeField(required=False, allow_null=True)
    place = serializers.CharField(max_length=200)
    division = serializers.SlugRelatedField(slug_field="code", queryset=Division.objects.all())
    suspect = serializers.CharField(max_length=200, required=False, allow_blank=True)
    reporter_name = serializers.CharField(max_length=50)
    reporter_phone = serializers.CharField(max_length=20, required=False, allow_blank=True)
    reporter_position = serializers.CharField(max_length=50, required=False, allow_blank=True)
    idempotency_key = serializers.CharField(max_length=100, required=False, allow_blank=True)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        request = self.context.get("request")
        if request is not None:
            field = cast(serializers.PrimaryKeyRelatedField, self.fields["child"])
            field.queryset = Person.objects.for_user(request.user)  # type: ignore[arg-type]


class CaseworkDecideSerializer(serializers.Serializer):
    decision = serializers.ChoiceField(choices=Case.Decision.choices)
    decision_reasons = serializers.CharField(required=False, allow_blank=True)
    transferred_to = serializers.PrimaryKeyRelatedField(
        queryset=Organisation.objects.active(), required=False, allow_null=True
    )
    investigation_notes = serializers.CharField(required=False, allow_blank=True)


class CaseworkFeedbackSerializer(serializers.Serializer):
    feedback = serializers.CharField()


class ReportViewSet(
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    viewsets.GenericViewSet,
):
    """Mandatory reports the caller's unit filed, received or supervises."""

    permission_classes = [RulesPermission]
    filterset_fields = ["status", "urgent"]

    @property
    def permission_required(self) -> str:
        return "casework.file_report" if self.action == "create" else "casework.view_cases"

    @property
    def object_permission(self) -> str:
        if self.action in ("accept", "decide", "feedback"):
            return "casework.handle_case"
        return "casework.view_case"

    def get_queryset(self) -> Any:
        return Case.objects.for_user(user_of(self.request)).select_related("child")

    read_serializer_class = CaseworkReportSerializer

    def get_serializer_class(self) -> type[serializers.BaseSerializer]:
        return {
            "create": CaseworkReportWriteSerializer,
            "decide": CaseworkDecideSerializer,
            "feedback": CaseworkFeedbackSerializer,
        }.get(self.action or "", CaseworkReportSerializer)  # type: ignore[return-value]

    def _read(self, case: Case, status: int = 200) -> Response:
        fresh = self.get_queryset().get(pk=case.pk)
        return Response(
            CaseworkReportSerializer(fresh, context=self.get_serializer_context()).data, status
        )

    def retrieve(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        case = self.get_object()
        services.case_view(
            actor=user_of(request),
            case=case,
            via="api",
            reporter_shown=may_see_reporter(user_of(request), case),
        )
        return self._read(case)

    def create(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = dict(serializer.validated_data)
        key = request.headers.get("Idempotency-Key") or data.pop("idempotency_key", "")
        case, created = _call(
            services.report_file, actor=user_of(request), data=data, idempotency_key=key
        )
        return self._read(case, 201 if created else 200)

    @action(detail=True, methods=["post"])
    def accept(self, request: Request, pk: str | None = None) -> Response:
        case = _call(services.case_accept, actor=user_of(request), case=self.get_object())
        return self._read(case)

    @action(detail=True, methods=["post"])
    def decide(self, request: Request, pk: str | None = None) -> Response:
        case = self.get_object()
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        case = _call(
            services.case_decide, actor=user_of(request), case=case, data=serializer.validated_data
        )
        return self._read(case)

    @action(detail=True, methods=["post"])
    def feedback(self, request: Request, pk: str | None = None) -> Response:
        case = self.get_object()
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        case = _call(
            services.case_feedback,
            actor=user_of(request),
            case=case,
            text=serializer.validated_data["feedback"],
        )
        return self._read(case)


@extend_schema_field(
    {"type": "string", "description": "One of: " + ", ".join(Referral.Action.values)}
)
class ReferralActionField(serializers.ChoiceField):
    """The action asked for; described, not an enum (the audit log's "action" enum has the name)."""

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(choices=Referral.Action.choices, **kwargs)


class CaseworkReferralSerializer(ModelSerializer):
    action = ReferralActionField(read_only=True)
    subject = serializers.CharField(source="subject_label", read_only=True)
    overdue = serializers.BooleanField(read_only=True)

    class Meta:
        model = Referral
        fields = [
            "id",
            "subject",
            "case",
            "atrisk_file",
            "from_unit",
            "to_unit",
            "action",
            "request",
            "due_date",
            "overdue",
            "status",
            "created_at",
            "responded_at",
            "decline_reason",
            "outcome",
            "closed_at",
            "escalated_at",
        ]
        read_only_fields = fields


class CaseworkReferralWriteSerializer(serializers.Serializer):
    case = serializers.PrimaryKeyRelatedField(
        queryset=Case.objects.none(), required=False, allow_null=True
    )
    atrisk_file = serializers.PrimaryKeyRelatedField(
        queryset=AtRiskFile.objects.none(), required=False, allow_null=True
    )
    to_unit = serializers.PrimaryKeyRelatedField(queryset=Organisation.objects.active())
    action = ReferralActionField()
    request = serializers.CharField()
    due_date = serializers.DateField(required=False, allow_null=True)
    idempotency_key = serializers.CharField(max_length=100, required=False, allow_blank=True)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        request = self.context.get("request")
        if request is not None:
            user = request.user
            case_field = cast(serializers.PrimaryKeyRelatedField, self.fields["case"])
            case_field.queryset = Case.objects.for_user(user)  # type: ignore[arg-type]
            file_field = cast(serializers.PrimaryKeyRelatedField, self.fields["atrisk_file"])
            file_field.queryset = AtRiskFile.objects.for_user(user)  # type: ignore[arg-type]

    def validate_case(self, case: Case | None) -> Case | None:
        user = self.context["request"].user
        if case is not None and not user.has_perm("casework.refer_case", case):
            raise serializers.ValidationError("You may not refer this report.")
        return case


class CaseworkReasonSerializer(serializers.Serializer):
    reason = serializers.CharField()


class CaseworkOutcomeSerializer(serializers.Serializer):
    outcome = serializers.CharField()


class ReferralViewSet(
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    viewsets.GenericViewSet,
):
    """Referrals sent by or to the caller's unit."""

    permission_classes = [RulesPermission]
    filterset_fields = ["status", "to_unit", "from_unit"]

    @property
    def permission_required(self) -> str:
        return "casework.file_report" if self.action == "create" else "casework.view_referrals"

    @property
    def object_permission(self) -> str:
        if self.action in ("accept", "decline", "close"):
            return "casework.respond_referral"
        return "casework.view_referral"

    def get_queryset(self) -> Any:
        return Referral.objects.for_user(user_of(self.request))

    read_serializer_class = CaseworkReferralSerializer

    def get_serializer_class(self) -> type[serializers.BaseSerializer]:
        return {
            "create": CaseworkReferralWriteSerializer,
            "decline": CaseworkReasonSerializer,
            "close": CaseworkOutcomeSerializer,
        }.get(self.action or "", CaseworkReferralSerializer)  # type: ignore[return-value]

    def _read(self, referral: Referral, status: int = 200) -> Response:
        return Response(CaseworkReferralSerializer(referral).data, status)

    def retrieve(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        referral = self.get_object()
        services.record_referral_view(actor=user_of(request), referral=referral, via="api")
        return self._read(referral)

    def create(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = dict(serializer.validated_data)
        key = request.headers.get("Idempotency-Key") or data.pop("idempotency_key", "")
        referral, created = _call(
            services.referral_create, actor=user_of(request), data=data, idempotency_key=key
        )
        return self._read(referral, 201 if created else 200)

    @action(detail=True, methods=["post"])
    def accept(self, request: Request, pk: str | None = None) -> Response:
        referral = self.get_object()
        return self._read(
            _call(services.referral_accept, actor=user_of(request), referral=referral)
        )

    @action(detail=True, methods=["post"])
    def decline(self, request: Request, pk: str | None = None) -> Response:
        referral = self.get_object()
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        reason = serializer.validated_data["reason"]
        return self._read(
            _call(
                services.referral_decline, actor=user_of(request), referral=referral, reason=reason
            )
        )

    @action(detail=True, methods=["post"])
    def close(self, request: Request, pk: str | None = None) -> Response:
        referral = self.get_object()
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        outcome = serializer.validated_data["outcome"]
        return self._read(
            _call(
                services.referral_close, actor=user_of(request), referral=referral, outcome=outcome
            )
        )


def register(router: BaseRouter) -> None:
    """Add this app's viewsets to the API router."""
    router.register("casework/reports", ReportViewSet, basename="casework-report")
    router.register("casework/referrals", ReferralViewSet, basename="casework-referral")
