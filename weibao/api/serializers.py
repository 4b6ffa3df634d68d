"""API serializers. Sensitive values leave the server masked."""

from __future__ import annotations

from rest_framework import serializers

from weibao.accounts.models import Division, Organisation, User
from weibao.audit.models import AuditEvent
from weibao.core.models import Notification


class DivisionSerializer(serializers.ModelSerializer):
    class Meta:
        model = Division
        fields = ["id", "code", "name", "level", "parent"]


class OrganisationSerializer(serializers.ModelSerializer):
    class Meta:
        model = Organisation
        fields = ["id", "name", "kind", "division", "credit_code", "parent", "is_active"]


class MeSerializer(serializers.ModelSerializer):
    organisation = OrganisationSerializer()

    class Meta:
        model = User
        fields = ["id", "username", "full_name", "role", "organisation", "language"]


class AuditEventSerializer(serializers.ModelSerializer):
    class Meta:
        model = AuditEvent
        fields = ["id", "at", "actor", "actor_username", "organisation", "organisation_name",
                  "ip", "action", "target_type", "target_id", "target_repr", "detail", "hash"]  # fmt: skip


class NotificationSerializer(serializers.ModelSerializer):
    class Meta:
        model = Notification
        fields = ["id", "title", "body", "link", "kind", "created_at", "read_at"]
