"""Django admin for people: read-only, masked. Records are changed through the pages and API.

The admin bypasses the services (no audit, no checks) and the `for_user` scope, so it shows only
masked values and allows no additions, changes or deletions.
"""

from __future__ import annotations

from django.contrib import admin
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from weibao.people.models import Person


@admin.register(Person)
class PersonAdmin(admin.ModelAdmin):
    list_display = [
        "pk",
        "masked_name",
        "sex",
        "birth_date",
        "masked_id",
        "school",
        "registered_by",
    ]
    list_filter = ["sex", "school"]
    list_select_related = ["school", "registered_by"]
    fields = readonly_fields = (
        "masked_name",
        "sex",
        "birth_date",
        "masked_id",
        "masked_phone_number",
        "school",
        "registered_by",
        "created_at",
    )

    @admin.display(description=pgettext_lazy("person", "name"))
    def masked_name(self, person: Person) -> str:
        return person.masked_name

    @admin.display(description=_("ID number"))
    def masked_id(self, person: Person) -> str:
        return person.masked_id_number

    @admin.display(description=_("phone"))
    def masked_phone_number(self, person: Person) -> str:
        return person.masked_phone

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Person | None = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Person | None = None) -> bool:
        return False
