"""Who sees which sessions and cases."""

from __future__ import annotations

from weibao.accounts.models import Role
from weibao.education.models import Session, TeachingCase
from weibao.testing import make_user


def test_sessions_by_user(
    make_session, school_b, county, coordinator, bureau, liaison_a, liaison_b, police,
    township_worker, outsider, sysadmin, auditor, prosecutor,
) -> None:  # fmt: skip
    at_a = make_session()
    at_b = make_session(school=school_b, speaker_kind="teacher")
    village = make_session(school=None, division=county.village_b, audience="parents")
    by_procuratorate = make_session(
        school=school_b, speaker_kind="procuratorate", speaker_unit=county.procuratorate
    )
    everything = {at_a, at_b, village, by_procuratorate}
    expected = {
        coordinator: everything,
        bureau: everything,
        liaison_a: {at_a},
        liaison_b: {at_b, by_procuratorate},
        police: {at_a},  # held in its township
        township_worker: {at_a},
        prosecutor: {by_procuratorate},
        outsider: set(),
        sysadmin: set(),
        auditor: set(),
    }
    for user, sessions in expected.items():
        assert set(Session.objects.for_user(user)) == sessions, user.username


def test_sending_body_sees_its_appointees_sessions(
    bureau, make_session, appointment, county
) -> None:
    session = make_session(speaker_kind="legal_vp", appointment=appointment)
    clerk = make_user("proc_clerk", county.procuratorate, Role.READ_ONLY)
    assert list(Session.objects.for_user(clerk)) == [session]


def test_cases_by_user(make_case, liaison_a, liaison_b, coordinator, outsider, sysadmin) -> None:
    published = make_case()
    proposed = make_case(publish=False, actor=liaison_a, title="待审案例")
    assert set(TeachingCase.objects.for_user(coordinator)) == {published, proposed}
    assert set(TeachingCase.objects.for_user(liaison_a)) == {published, proposed}
    assert set(TeachingCase.objects.for_user(liaison_b)) == {published}
    assert set(TeachingCase.objects.for_user(outsider)) == {published}
