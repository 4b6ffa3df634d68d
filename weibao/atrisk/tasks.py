"""The at-risk nightly job: close the files of those who turned 18, warn of overdue contacts,
recompute every grade and score. Each step brings the data to the state it should be in, so a
second run the same night changes nothing.

One shape for every app: scheduled jobs (@scheduled) and long jobs with a progress bar
(@register) live in the app's tasks.py, which its weibao_app names."""

from __future__ import annotations

from weibao.atrisk import services
from weibao.core.schedule import scheduled


@scheduled("atrisk_nightly", hour=2, minute=30)
def atrisk_nightly() -> str:
    closed = services.files_close_adults()
    overdue = services.contacts_overdue_warn()
    changed = services.scores_recompute_all()
    return f"closed {closed} files at 18; {overdue} overdue warnings; {changed} regraded"
