"""Forms for signing in, one-time codes, and the administration of units and users.

The unit and user forms only parse input: validation that touches the model (uniqueness, credit
code, roles an administrator may give) is the services' job, and their errors are put back on
the form's fields by the views.
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib.auth.forms import AuthenticationForm
from django.db.models import Q, QuerySet
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _

from weibao.accounts.models import COUNTY_ROLES, Division, Organisation, Role, User
from weibao.lib import creditcode


class LoginForm(AuthenticationForm):
    error_messages = {
        "invalid_login": _(
            "The username or password is wrong. After 5 failed attempts the account is locked "
            "for 30 minutes."
        ),
        "inactive": _("This account is disabled."),
    }


class OtpForm(forms.Form):
    token = forms.CharField(
        label=_("One-time code"),
        min_length=6,
        max_length=6,
        widget=forms.TextInput(attrs={"autocomplete": "one-time-code", "inputmode": "numeric"}),
    )

    def clean_token(self) -> str:
        token = self.cleaned_data["token"].strip()
        if not token.isdigit():
            raise forms.ValidationError(_("The code is six digits."))
        return token


class CreditCodeField(forms.CharField):
    """A unified social credit code as typed or pasted: in groups with spaces, in full-width
    characters, in lower case. Normalised here; the service checks it."""

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("max_length", 40)  # room for the spaces of a pasted code
        kwargs.setdefault("required", False)
        super().__init__(**kwargs)

    def to_python(self, value: Any) -> str:
        return creditcode.normalise(super().to_python(value) or "")


class ServiceModelForm(forms.ModelForm):
    """A model form that leaves model validation to the service that saves.

    It is never bound to the instance being edited (edit pages pass `initial`), so a refused
    change cannot leave a half-changed object behind.
    """

    def _post_clean(self) -> None:
        pass


class UnitForm(ServiceModelForm):
    webhook_url = Organisation._meta.get_field("webhook_url").formfield(assume_scheme="https")
    credit_code = CreditCodeField(
        label=capfirst(Organisation._meta.get_field("credit_code").verbose_name)
    )

    class Meta:
        model = Organisation
        fields = ["name", "kind", "division", "credit_code", "parent", "webhook_url", "is_active"]

    def __init__(self, *args: Any, unit: Organisation | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        parents = Organisation.objects.select_related("division")
        if unit is not None:
            parents = parents.exclude(pk=unit.pk)
        self.fields["parent"].queryset = parents  # type: ignore[attr-defined]


def _role_choices(actor: User) -> list[tuple[str, Any]]:
    if actor.role == Role.SYSADMIN:
        return list(Role.choices)
    return [(value, label) for value, label in Role.choices if value not in COUNTY_ROLES]


class _UserFormBase(ServiceModelForm):
    def __init__(self, *args: Any, actor: User, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["organisation"].queryset = Organisation.objects.for_admin(actor)  # type: ignore[attr-defined]
        self.fields["role"].choices = _role_choices(actor)  # type: ignore[attr-defined]


class UserCreateForm(_UserFormBase):
    password = forms.CharField(
        label=_("Initial password"),
        required=False,
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
        help_text=_(
            "Leave empty to generate one. Either way the user must change it at first login."
        ),
    )

    class Meta:
        model = User
        fields = ["username", "full_name", "organisation", "role", "phone", "email", "language"]


class UserEditForm(_UserFormBase):
    class Meta:
        model = User
        fields = ["full_name", "organisation", "role", "is_active", "phone", "email", "language"]


class UnitFilterForm(forms.Form):
    q = forms.CharField(label=_("Search"), required=False)
    kind = forms.ChoiceField(
        label=_("Kind"), choices=[("", "---------"), *Organisation.Kind.choices], required=False
    )
    township = forms.ModelChoiceField(
        label=_("Township"), queryset=Division.objects.townships(), required=False
    )

    def filter(self, units: QuerySet[Organisation]) -> QuerySet[Organisation]:
        if not self.is_bound or not self.is_valid():
            return units
        data = self.cleaned_data
        if data["q"]:
            units = units.filter(
                Q(name__icontains=data["q"]) | Q(credit_code=creditcode.normalise(data["q"]))
            )
        if data["kind"]:
            units = units.filter(kind=data["kind"])
        if data["township"]:
            units = units.filter(division__code__startswith=data["township"].prefix)
        return units


class UserFilterForm(forms.Form):
    q = forms.CharField(label=_("Search"), required=False)
    role = forms.ChoiceField(label=_("Role"), required=False)
    unit = forms.ModelChoiceField(
        label=_("Unit"), queryset=Organisation.objects.none(), required=False
    )
    active = forms.ChoiceField(
        label=_("Status"),
        required=False,
        choices=[("", "---------"), ("1", _("active")), ("0", _("deactivated"))],
    )

    def __init__(self, *args: Any, actor: User, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["role"].choices = [("", "---------"), *_role_choices(actor)]  # type: ignore[attr-defined]
        if actor.role == Role.SYSADMIN:
            self.fields["unit"].queryset = Organisation.objects.all()  # type: ignore[attr-defined]
        else:
            # A unit administrator sees only their own unit: nothing to choose.
            del self.fields["unit"]

    def filter(self, users: QuerySet[User]) -> QuerySet[User]:
        if not self.is_bound or not self.is_valid():
            return users
        data = self.cleaned_data
        if data["q"]:
            users = users.filter(
                Q(username__icontains=data["q"]) | Q(full_name__icontains=data["q"])
            )
        if data["role"]:
            users = users.filter(role=data["role"])
        if data.get("unit"):
            users = users.filter(organisation=data["unit"])
        if data["active"]:
            users = users.filter(is_active=data["active"] == "1")
        return users
