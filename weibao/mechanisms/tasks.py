"""The mechanisms' background work: the nightly reminders and supervision of tasks past their
deadline, and the nightly recompute of this year's provisional assessment scores.

One shape for every app: scheduled jobs (@scheduled) and long jobs (@register) live in tasks.py."""

from __future__ import annotations

from weibao.core.schedule import scheduled

# Tasks and supervision ----------------------------------------------------------------------------


@scheduled("mechanisms_tasks_remind", hour=7, minute=40)
def mechanisms_tasks_remind() -> str:
    """Remind owners of tasks due soon or late, and supervise those long late (idempotent)."""
    from weibao.mechanisms.services.tasks import tasks_remind

    return f"{tasks_remind()} sent"


# The yearly assessment ----------------------------------------------------------------------------


@scheduled("mechanisms_scores_compute", hour=3, minute=10)
def mechanisms_scores_compute() -> str:
    """Recompute this year's provisional assessment scores (an unpublished scheme only)."""
    from django.utils import timezone

    from weibao.mechanisms.models import Scheme
    from weibao.mechanisms.services.assessment import scores_compute

    today = timezone.localdate()
    scheme = Scheme.objects.filter(year=today.year).exclude(state=Scheme.State.PUBLISHED).first()
    if scheme is None:
        return "no unpublished scheme for this year"
    return f"{scores_compute(scheme=scheme, on=today)} scores computed"
