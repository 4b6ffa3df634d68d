"""Staff checks' long job: running check requests against the register, with a progress bar."""

from __future__ import annotations

from weibao.core.jobs import Progress, register
from weibao.core.models import Attachment, Job
from weibao.staffchecks import services


@register(services.RUN_JOB_KIND)
def staffchecks_run(job: Job, progress: Progress) -> Attachment | None:
    return services.batches_run_job(job, progress)
