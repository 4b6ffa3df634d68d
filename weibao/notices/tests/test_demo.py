from __future__ import annotations

import pytest
from django.utils import timezone

from weibao.accounts.models import Organisation, Role, User
from weibao.core.models import Attachment
from weibao.demo.county import demo_county_seed
from weibao.notices import demo
from weibao.notices.models import Notice, NoticeRecipient, NoticeReply
from weibao.schools.models import LiaisonAppointment, School

# Today: whether a reply is overdue depends on the real clock, so the demo's dates follow it.
AS_OF = timezone.localdate()


@pytest.fixture
def demo_county(db: None) -> None:
    demo_county_seed(seed=2026, scale=0.01, as_of=AS_OF, progress=lambda s: None)


@pytest.fixture
def demo_liaisons(demo_county: None) -> None:
    """What the schools demo will do: a school record and a liaison for each school unit."""
    for n, unit in enumerate(Organisation.objects.schools().order_by("pk")):
        school = School.objects.create(organisation=unit, kind=School.Kind.PRIMARY)
        user = unit.users.filter(role=Role.CAMPUS_LIAISON).first() or User.objects.create(
            username=f"liaison{n}", organisation=unit, role=Role.CAMPUS_LIAISON, full_name="联络员"
        )
        LiaisonAppointment.objects.create(school=school, user=user)


def _states() -> list[tuple[str, int, int]]:
    return sorted((n.title, n.read_count, n.replied_count) for n in Notice.objects.with_counts())


def _seed() -> list[str]:
    said: list[str] = []
    demo.seed(seed=2026, scale=0.01, as_of=AS_OF, progress=said.append)
    return said


def test_nothing_without_liaisons(education: User) -> None:
    assert _seed() == ["notices: no campus liaisons appointed yet, skipped"]
    assert not Notice.objects.exists()


def test_three_notices_with_a_mix_of_states_once(demo_liaisons: None) -> None:
    _seed()
    states = _states()
    _seed()  # idempotent: a second run adds nothing
    assert Notice.objects.count() == 3
    notices = {n.title: n for n in Notice.objects.with_counts()}
    assert len(notices) == 3
    drowning = notices["关于开展防溺水安全教育的通知"]
    assert drowning.sender.username == "education"
    assert drowning.status == Notice.Status.SENT
    assert 0 < drowning.replied_count < drowning.recipient_count
    assert drowning.overdue_count == drowning.recipient_count - drowning.replied_count > 0
    assert 0 < drowning.read_count <= drowning.recipient_count
    # The file form came back as files.
    replies = NoticeReply.objects.filter(recipient__notice=drowning)
    assert replies.exists()
    # The demo accounts' schools are left for a visitor to answer.
    untouched = NoticeRecipient.objects.filter(
        notice=drowning, user__username__in=["liaison_a", "liaison_b"]
    )
    assert untouched.count() == 2
    assert not untouched.filter(read_at__isnull=False).exists()
    last_lesson = notices["寒假前最后一堂课安排"]
    assert last_lesson.overdue_count == 0  # still open
    assert _states() == states

    # Reset removes them (and their files), so the base county can be deleted after.
    said: list[str] = []
    demo.reset(progress=said.append)
    assert not Notice.objects.exists() and not NoticeRecipient.objects.exists()
    assert not Attachment.objects.filter(owner_type__app_label="notices").exists()
