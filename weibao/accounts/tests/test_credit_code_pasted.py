"""A credit code pasted in groups, in full-width characters or in lower case is taken as the
code it is, in every form, import and API that takes one (the schools' in their own tests)."""

from __future__ import annotations

import pytest

from weibao.accounts.models import Organisation, User
from weibao.lib import creditcode
from weibao.testing import County

CODE = "91110000600037341L"
PASTED = [
    "91 110000 600037341L",
    "91110000 600037341l",
    "９１ １１００００\u3000６０００３７３４１Ｌ",
]


@pytest.mark.parametrize("text", PASTED)
def test_normalise_drops_spaces_and_full_width(text: str) -> None:
    assert creditcode.validate(text) == CODE


@pytest.mark.parametrize("text", PASTED)
def test_unit_form_takes_a_pasted_code(
    county: County, sysadmin: User, client_for, text: str
) -> None:
    response = client_for(sysadmin).post(
        "/accounts/units/new/",
        {
            "name": "某某有限公司",
            "kind": "hotel",
            "division": county.village_a.pk,
            "credit_code": text,
            "webhook_url": "",
            "is_active": "on",
        },
    )
    assert response.status_code == 302, response.context["form"].errors
    assert Organisation.objects.get(name="某某有限公司").credit_code == CODE


def test_unit_search_finds_a_pasted_code(county: County, sysadmin: User, client_for) -> None:
    Organisation.objects.filter(pk=county.school_a.pk).update(credit_code=CODE)
    response = client_for(sysadmin).get("/accounts/units/", {"q": "91 110000 600037341l"})
    assert [unit.pk for unit in response.context["page"]] == [county.school_a.pk]


def test_unit_api_takes_a_pasted_code(county: County, sysadmin: User, client_for) -> None:
    response = client_for(sysadmin).patch(
        f"/api/v1/units/{county.school_a.pk}/",
        {"credit_code": "91 110000 600037341l"},
        content_type="application/json",
    )
    assert response.status_code == 200, response.content
    assert Organisation.objects.get(pk=county.school_a.pk).credit_code == CODE
