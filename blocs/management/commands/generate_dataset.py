"""``manage.py generate_dataset --scale demo|province|national --seed N``: a generated dataset, in bulk.

The command orchestrates; every installed app with a ``dataset`` module writes its own tables
(``<app>.dataset.dataset_generate``), in ``INSTALLED_APPS`` order, inside one transaction: a failure
leaves the database as it was. See ``blocs.dataset`` for the plan they share.
"""

from __future__ import annotations

import time
from importlib import import_module

from django.apps import apps
from django.core.management.base import BaseCommand, CommandError
from django.db import connection, transaction
from django.utils.module_loading import module_has_submodule

from blocs.dataset import PASSWORD, SCALES, Dataset, DatasetError
from blocs.models import Council


def dataset_modules() -> list:
    """The ``dataset`` modules of the installed apps, in ``INSTALLED_APPS`` order."""
    return [
        import_module(f"{config.name}.dataset")
        for config in apps.get_app_configs()
        if module_has_submodule(config.module, "dataset")
    ]


class Command(BaseCommand):
    help = "Generate councils, blocs, units, pledges, scoring, awards and meetings over several years (bulk inserts)."

    def add_arguments(self, parser):
        parser.add_argument("--scale", choices=sorted(SCALES), default="demo")
        parser.add_argument("--seed", type=int, default=1)
        parser.add_argument("--years", type=int, default=None, help="Years of data (default: the scale's).")
        parser.add_argument(
            "--append", action="store_true", help="Add to a database that already holds councils (names get the seed)."
        )

    def handle(self, *args, scale: str, seed: int, years: int | None, append: bool, **options):
        if Council.objects.exists() and not append:
            raise CommandError("The database already holds councils: give --append to add a dataset to them.")
        chosen = SCALES[scale]
        years = years or chosen.years
        if not 3 <= years <= 30:
            raise CommandError("--years must be between 3 and 30.")
        dataset = Dataset(scale=chosen, seed=seed, years=years, append=append)
        timings = []
        started = time.perf_counter()
        try:
            with transaction.atomic():
                for module in dataset_modules():
                    step = time.perf_counter()
                    module.dataset_generate(dataset=dataset)
                    timings.append((module.__name__, time.perf_counter() - step))
        except DatasetError as error:
            raise CommandError(str(error)) from error
        statistics_refresh()
        total = time.perf_counter() - started
        self.report(dataset, timings, total)

    def report(self, dataset: Dataset, timings: list[tuple[str, float]], total: float) -> None:
        out = self.stdout
        out.write(
            f"Generated scale {dataset.scale.name}, seed {dataset.seed}, years "
            f"{dataset.first_year}–{dataset.last_year} in {total:.1f} s:"
        )
        for name, seconds in timings:
            out.write(f"  {name:22} {seconds:8.1f} s")
        out.write(f"{'rows':>10}  table")
        history = 0
        for label, rows in sorted(dataset.counts.items()):
            if ".Historical" in label:
                history += rows
                continue
            out.write(f"{rows:10,d}  {label}")
        out.write(f"{history:10,d}  history rows (django-simple-history)")
        out.write(f"Every generated user's password: {PASSWORD}")


def statistics_refresh() -> None:
    """ANALYZE the portal's tables on PostgreSQL: after a bulk load of thousands of rows the planner's
    statistics still describe the empty tables (one row per council, say) until autovacuum comes by, and
    the pages measured right after would be planned as for an empty database."""
    if connection.vendor != "postgresql":
        return
    with connection.cursor() as cursor:
        for model in apps.get_models(include_auto_created=True):
            if model._meta.managed and not model._meta.proxy:
                cursor.execute(f"ANALYZE {connection.ops.quote_name(model._meta.db_table)}")
