"""The menu's drowning entries: each only for the roles that can use it."""

from __future__ import annotations

import pytest
from django.urls import reverse

from weibao.core.contract import menu_for

ENTRIES = {
    "drowning:map": {"water_bureau", "township_worker", "village_clerk", "liaison_a", "edu_reader"},
    "drowning:patrols_overdue": {"water_bureau", "township_worker", "village_clerk"},
    "drowning:patrol_plan": {
        "water_bureau",
        "township_worker",
        "village_clerk",
        "liaison_a",
        "edu_reader",
    },
    "drowning:letter_list": {"township_worker", "liaison_a", "edu_reader", "coordinator"},
    "drowning:assignment_list": {"township_worker", "liaison_a", "edu_reader", "village_clerk"},
    "drowning:sign_inspection_list": {"township_worker", "liaison_a", "edu_reader"},
}
USERS = ("water_bureau", "township_worker", "village_clerk", "liaison_a", "edu_reader",
         "coordinator", "police", "outsider", "sysadmin", "auditor")  # fmt: skip


@pytest.mark.parametrize("name", USERS)
def test_entries_for_who_can_use_them(request, db, client_for, name) -> None:
    user = request.getfixturevalue(name)
    shown = {item.url_name for item in menu_for(user)}
    for url_name, users in ENTRIES.items():
        if name == "coordinator" and url_name != "drowning:letter_list":
            continue  # a county coordinator reads everything
        assert (url_name in shown) is (name in users), (name, url_name)
        if url_name in shown:  # and the page opens for them
            assert client_for(user).get(reverse(url_name)).status_code == 200
