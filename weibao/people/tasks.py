"""The people register's background work: the Excel export job.

One shape for every app: scheduled jobs (@scheduled) and long jobs with a progress bar
(@register) live in the app's tasks.py, which its weibao_app names."""

from __future__ import annotations

from weibao.core.jobs import Progress, register
from weibao.core.models import Attachment, Job
from weibao.people import services


@register(services.EXPORT_JOB_KIND)
def people_export(job: Job, progress: Progress) -> Attachment | None:
    return services.person_export_run(job, progress)
