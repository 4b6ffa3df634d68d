"""The menu, by role: each app adds its entries here, with the permission that shows them."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.urls import reverse
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _


@dataclass(frozen=True)
class MenuItem:
    label: str | Promise
    url_name: str
    permission: str | None = None

    @property
    def url(self) -> str:
        return reverse(self.url_name)


MENU: list[MenuItem] = [
    MenuItem(_("Home"), "core:home"),
    MenuItem(_("Inbox"), "core:inbox"),
    MenuItem(_("People"), "people:list", "people.list_people"),
    MenuItem(_("Units"), "accounts:unit_list", "accounts.manage_units"),
    MenuItem(_("Users"), "accounts:user_list", "accounts.manage_users"),
    MenuItem(_("Audit log"), "audit:list", "audit.view_auditevent"),
    MenuItem(_("API"), "api:docs"),
]


def menu_for(user: Any) -> list[MenuItem]:
    """The menu items this user may open (a User; typed loosely for request.user)."""
    return [item for item in MENU if item.permission is None or user.has_perm(item.permission)]
