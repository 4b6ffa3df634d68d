"""API serializers. Sensitive values leave the server masked.

Serializers only parse and shape: writes go through the apps' services, which validate again
and audit.
"""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from weibao.accounts.models import Division, Organisation, User
from weibao.audit.models import AuditEvent
from weibao.core.api import ModelSerializer
from weibao.core.models import Notification


class DivisionSerializer(ModelSerializer):
    class Meta:
        model = Division
        fields = ["id", "code", "name", "level", "parent"]


class OrganisationSerializer(ModelSerializer):
    class Meta:
        model = Organisation
        fields = ["id", "name", "kind", "division", "credit_code", "parent", "webhook_url",
                  "is_active"]  # fmt: skip
        # The robot address carries its access key: it can be set, never read back.
        # A credit code may be pasted in groups ("91 110000 ..."): the service normalises it.
        extra_kwargs = {"webhook_url": {"write_only": True}, "credit_code": {"max_length": 40}}


class MeSerializer(ModelSerializer):
    organisation = OrganisationSerializer()

    class Meta:
        model = User
        fields = ["id", "username", "full_name", "role", "organisation", "language"]


class UserSerializer(ModelSerializer):
    """A user as their administrators see and change them."""

    class Meta:
        model = User
        fields = ["id", "username", "full_name", "organisation", "role", "phone", "email",
                  "language", "is_active", "last_login", "password_changed_at"]  # fmt: skip
        read_only_fields = ["username", "last_login", "password_changed_at"]


class UserCreateSerializer(UserSerializer):
    password = serializers.CharField(
        write_only=True,
        required=False,
        allow_blank=True,
        style={"input_type": "password"},
        help_text=_("Initial password; leave out to have one generated."),
    )
    temporary_password = serializers.SerializerMethodField(
        help_text=_("The generated password, shown only in this response.")
    )

    class Meta(UserSerializer.Meta):
        fields = [*UserSerializer.Meta.fields, "password", "temporary_password"]
        read_only_fields = ["last_login", "password_changed_at"]

    @extend_schema_field(OpenApiTypes.STR)
    def get_temporary_password(self, user: User) -> str | None:
        return getattr(user, "temporary_password", None)


class TemporaryPasswordSerializer(serializers.Serializer):
    temporary_password = serializers.CharField(read_only=True)


class TokenRequestSerializer(serializers.Serializer):
    username = serializers.CharField()
    password = serializers.CharField(style={"input_type": "password"}, trim_whitespace=False)
    otp_code = serializers.RegexField(
        r"^\d{6}$",
        required=False,
        help_text=_("Six-digit one-time code; required for accounts that use one."),
    )


class TokenSerializer(serializers.Serializer):
    token = serializers.CharField(read_only=True)


class AuditEventSerializer(ModelSerializer):
    class Meta:
        model = AuditEvent
        fields = ["id", "at", "actor", "actor_username", "organisation", "organisation_name",
                  "ip", "action", "target_type", "target_id", "target_repr", "detail",
                  "hash"]  # fmt: skip


class NotificationSerializer(ModelSerializer):
    # In the request's language (kept as a message id and values where the sender gave one).
    title = serializers.CharField(source="title_text", read_only=True)
    body = serializers.CharField(source="body_text", read_only=True)

    class Meta:
        model = Notification
        fields = ["id", "title", "body", "link", "kind", "created_at", "read_at"]
