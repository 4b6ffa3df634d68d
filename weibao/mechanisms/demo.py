"""The mechanisms' part of the demo county: the leading group led by the procuratorate with its
member units and their responsibilities, the implementation plan, a year of meetings and
decisions, tasks in every state (some overdue and supervised), co-construction activities, last
year's published assessment and this year's provisional scores. Idempotent."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date

# Each part takes the shared context (`ctx`: the demo's objects so far) and adds to it.


def seed(
    *, seed: int, scale: float, as_of: date | None = None, progress: Callable[[str], None]
) -> None:
    return None
