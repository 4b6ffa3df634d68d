"""The people register's long jobs: the Excel export. Imported by PeopleConfig.ready()."""

from __future__ import annotations

from weibao.core.jobs import Progress, register
from weibao.core.models import Attachment, Job
from weibao.people import services


@register(services.EXPORT_JOB_KIND)
def people_export(job: Job, progress: Progress) -> Attachment | None:
    return services.person_export_run(job, progress)
