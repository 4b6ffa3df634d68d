"""The child's page gathers the records about the child from every app, each through its own
access rule: the at-risk file shows there for those who may see it, and only for them."""

from __future__ import annotations

from weibao.atrisk.models import AtRiskFile
from weibao.atrisk.tests.conftest import report


def test_the_file_shows_on_the_childs_page_for_those_who_see_it(
    client_for, liaison_a, coordinator, police, pupil_a
) -> None:
    report(liaison_a, [pupil_a], "BL01", description="旷课")
    file = AtRiskFile.objects.get(person=pupil_a)
    url = pupil_a.get_absolute_url()
    for user in (liaison_a, coordinator):
        page = client_for(user).get(url).content.decode()
        assert "At-risk files" in page and file.get_absolute_url() in page


def test_no_section_without_records(client_for, liaison_a, pupil_a) -> None:
    page = client_for(liaison_a).get(pupil_a.get_absolute_url()).content.decode()
    assert "person-section" not in page
