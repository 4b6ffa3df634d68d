"""The register's API, read-only: cases with their suspects (age, band, decisions) and victims,
for the procuratorate and the county coordinator (the same `for_user` as the pages). No names
or ID numbers: a suspect or victim of the register is given by the person's id only."""

from __future__ import annotations

from django.db.models import QuerySet
from rest_framework import mixins, serializers, viewsets
from rest_framework.routers import BaseRouter

from weibao.core.api import ModelSerializer, RulesPermission, user_of
from weibao.crimes.models import Case, Decision, Suspect, Victim


class DecisionSerializer(ModelSerializer):
    kind = serializers.CharField()

    class Meta:
        model = Decision
        fields = ["kind", "decided_on"]


class SuspectSerializer(ModelSerializer):
    # Codes as plain strings: their choice sets share names ("sex", "kind") with other apps'.
    sex = serializers.CharField()
    age_band = serializers.CharField()
    decisions = DecisionSerializer(many=True, read_only=True)

    class Meta:
        model = Suspect
        fields = ["id", "person", "sex", "age_at_offence", "minor", "age_band", "decisions"]


class VictimSerializer(ModelSerializer):
    sex = serializers.CharField()
    offence = serializers.CharField()
    offence_group = serializers.CharField()

    class Meta:
        model = Victim
        fields = ["id", "person", "sex", "age", "minor", "offence", "offence_group"]


class CaseSerializer(ModelSerializer):
    offence = serializers.CharField()
    offence_group = serializers.CharField()
    division_code = serializers.CharField(source="division.code", read_only=True)
    suspects = SuspectSerializer(many=True, read_only=True)
    victims = VictimSerializer(many=True, read_only=True)

    class Meta:
        model = Case
        fields = ["id", "number", "offence", "offence_group", "offence_date", "division",
                  "division_code", "joint", "gang", "participants", "prosecuted_on", "suspects",
                  "victims", "updated_at"]  # fmt: skip
        read_only_fields = fields


class CaseViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """The criminal cases involving minors: the procuratorate and the county coordinator."""

    permission_classes = [RulesPermission]
    permission_required = "crimes.view_cases"
    serializer_class = CaseSerializer
    filterset_fields = ["offence", "offence_group", "gang"]

    def get_queryset(self) -> QuerySet[Case]:
        return (
            Case.objects.for_user(user_of(self.request))
            .select_related("division")
            .prefetch_related("suspects__decisions", "victims")
            .order_by("-offence_date", "-pk")
        )


def register(router: BaseRouter) -> None:
    """Add this app's viewsets to the API router."""
    router.register("crimes/cases", CaseViewSet, basename="crimes-case")
