"""``manage.py bench`` on the demo-scale dataset: one run prints a row for every page and role it lists
and for every document, and writes the same in JSON. The times themselves are never asserted."""

import json
from io import StringIO

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from blocs.dataset import bench_actors
from blocs.management.commands.bench import FLOOR
from blocs.management.commands.generate_dataset import dataset_modules
from blocs.models import Unit

pytestmark = pytest.mark.django_db


def test_bench_prints_every_page_and_document(tmp_path):
    call_command("generate_dataset", "--scale", "demo", "--seed", "1", stdout=StringIO())
    out = StringIO()
    path = tmp_path / "bench.json"
    units = Unit.objects.count()
    call_command("bench", "--runs", "1", "--json", str(path), stdout=out)
    assert Unit.objects.count() == units  # the bench's import is rolled back
    table = out.getvalue()
    actors = bench_actors()
    pages = [page for module in dataset_modules() for page in module.bench_pages(actors=actors)]
    lines = table.splitlines()
    for page in pages:
        for role in page.roles:
            assert any(line.startswith(f"{page.label:34} {role:8}") for line in lines), (page.label, role)
    assert lines[2].startswith(FLOOR)
    results = json.loads(path.read_text(encoding="utf-8"))
    assert {row["status"] for row in results["pages"]} == {200}
    assert len(results["pages"]) == 1 + sum(len(page.roles) for page in pages)
    labels = [document["label"] for document in results["documents"]]
    assert [label.split(" (")[0] for label in labels] == [
        "membership list PDF",
        "membership list Word",
        "council Excel export",
        "units import, 5,000 rows",
        "pledge PDF",
        "pledge Word",
        "ranking PDF",
        "ranking Excel",
        "scoring table Excel",
        "proposal list PDF",
        "proposal list Word",
        "minutes PDF",
        "minutes Word",
    ]
    assert all(label in table for label in labels)


def test_bench_needs_data():
    with pytest.raises(CommandError, match="no council"):
        call_command("bench", "--runs", "1", stdout=StringIO())
