"""`manage.py seed_demo [--seed N] [--scale X] [--reset]`: build the fictional demo county.

Deterministic: the same seed (and day) gives the same names and ID numbers. Safe to run twice:
if the county is there already it says so and changes nothing.
"""

from __future__ import annotations

from argparse import ArgumentParser, ArgumentTypeError
from datetime import date
from typing import Any

from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from weibao.demo import extensions, names
from weibao.demo.accounts import accounts_table
from weibao.demo.county import ResetBlocked, county_exists, demo_county_reset, demo_county_seed
from weibao.demo.plan import MAX_SCALE


def scale_value(text: str) -> float:
    try:
        value = float(text)
    except ValueError:
        raise ArgumentTypeError(_("--scale must be a number, such as 0.01 or 2")) from None
    if not 0 < value <= MAX_SCALE:
        raise ArgumentTypeError(
            _("--scale must be more than 0 and at most %(max)s") % {"max": MAX_SCALE}
        )
    return value


def day_value(text: str) -> date:
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise ArgumentTypeError(_("--as-of must be a date such as 2026-09-01")) from None


class Command(BaseCommand):
    help = (
        "Build the demo county 乐安县: 15 townships, 180 villages, every kind of unit, about 100 "
        "schools, 50,000 pupils with guardians, 4,700 left-behind children and demo users."
    )

    def add_arguments(self, parser: ArgumentParser) -> None:
        parser.add_argument(
            "--seed",
            type=int,
            default=names.DEFAULT_SEED,
            help="Random seed: the same seed gives the same county (default %(default)s).",
        )
        parser.add_argument(
            "--scale",
            type=scale_value,
            default=1.0,
            help="Multiply the pupils (and, above 1, the schools): 0.01 makes a tiny county.",
        )
        parser.add_argument(
            "--as-of",
            type=day_value,
            default=None,
            help="Make ages and dates as on this day (default today), for repeatable data.",
        )
        parser.add_argument(
            "--reset",
            action="store_true",
            help="Delete the demo county first and build it again.",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        if county_exists() and not options["reset"]:
            self.extend(options)
            self.stdout.write(
                _(
                    "The demo county %(county)s is already seeded; nothing changed. "
                    "Use --reset to build it again."
                )
                % {"county": names.COUNTY_NAME}
            )
            return
        # Reset and rebuild together: if the build fails, the old county is still there.
        with transaction.atomic():
            if county_exists():
                self.stdout.write(_("Deleting the demo county..."))
                try:
                    extensions.reset_all(progress=self.stdout.write)
                    demo_county_reset(progress=self.stdout.write)
                except ResetBlocked as exc:
                    raise CommandError(
                        _("Cannot delete the demo county: other records still refer to it (%(e)s)")
                        % {"e": exc}
                    ) from exc
            self.stdout.write(
                _("Seeding the demo county %(county)s (seed %(seed)d, scale %(scale)s)...")
                % {"county": names.COUNTY_NAME, "seed": options["seed"], "scale": options["scale"]}
            )
            summary = demo_county_seed(
                seed=options["seed"],
                scale=options["scale"],
                as_of=options["as_of"],
                progress=self.stdout.write,
            )
        # Each app's part after the base county has committed: the parts that go through
        # services run them in their own durable transactions.
        self.extend(options)
        self.stdout.write(self.style.SUCCESS(_("Demo county seeded.")))
        for line in summary.lines():
            self.stdout.write(f"  {line}")
        self.stdout.write("")
        self.stdout.write(_("Demo accounts:"))
        for line in accounts_table():
            self.stdout.write(f"  {line}" if line else "")

    def extend(self, options: dict[str, Any]) -> None:
        """Each app's part of the demo county, each in its own transaction(s); a part skips
        itself when its records are there already."""
        extensions.run_all(
            seed=options["seed"],
            scale=options["scale"],
            as_of=options["as_of"] or timezone.localdate(),
            progress=self.stdout.write,
        )
