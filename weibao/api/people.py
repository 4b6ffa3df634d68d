"""People in the API: masked on the way out, written through the people services."""

from __future__ import annotations

from rest_framework import serializers, viewsets

from weibao.api.permissions import RulesPermission
from weibao.people.models import Person


class PersonSerializer(serializers.ModelSerializer):
    name = serializers.CharField(source="masked_name", read_only=True)
    id_number = serializers.CharField(source="masked_id_number", read_only=True)
    phone = serializers.CharField(source="masked_phone", read_only=True)

    class Meta:
        model = Person
        fields = ["id", "name", "sex", "birth_date", "id_number", "phone", "school", "grade",
                  "class_name", "division"]  # fmt: skip


class PersonViewSet(viewsets.ReadOnlyModelViewSet):
    serializer_class = PersonSerializer
    permission_classes = [RulesPermission]
    permission_required = "people.list_people"
    object_permission = "people.view_person"

    def get_queryset(self):  # type: ignore[no-untyped-def]
        return Person.objects.for_user(self.request.user).select_related("school")
