"""The parts of the demo county that each app adds, run by `seed_demo`.

An app declares its part in its contract (`demo`, the dotted path of a function `seed(*, seed:
int, scale: float, as_of: date, progress: Callable[[str], None]) -> None`, and `demo_order`).
It builds the app's demo records on top of the base county and must be idempotent (do nothing
when its records exist), because `seed_demo` runs every part on every call, so that an existing
demo database gains the records of newly added apps.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date

from django.apps import apps
from django.utils.translation import gettext as _

from weibao.core.contract import demo_parts


def run_all(*, seed: int, scale: float, as_of: date, progress: Callable[[str], None]) -> None:
    for _app, part in demo_parts():
        part(seed=seed, scale=scale, as_of=as_of, progress=progress)


# Tables that migrations fill with the county's reference data: a reset keeps them.
REFERENCE_DATA = {"atrisk.behaviour", "atrisk.gradingruleset", "education.topic"}


def reset_all(*, progress: Callable[[str], None]) -> None:
    """Delete every record of the apps that add demo parts, the last registered first, so that
    the base county can be deleted after them. Only for a demo database: it empties those apps
    but for their reference data.
    """
    for app, _part in reversed(demo_parts()):
        config = apps.get_app_config(app.label)
        for model in reversed(list(config.get_models())):
            if model._meta.label_lower not in REFERENCE_DATA:
                model._base_manager.all().delete()
        progress("  " + _("%(app)s: emptied") % {"app": config.verbose_name})
