"""``manage.py load_demo``: the demo data of the seed articles, then the demo logins. Safe to run again."""

from django.core.management.base import BaseCommand

from blocs.demo import load_demo


class Command(BaseCommand):
    help = (
        "Create or bring up to date the demo councils, units, blocs, members, seats and users "
        "(from the seed articles) and print the demo logins. Running it again changes nothing."
    )

    def handle(self, *args, **options):
        summary = load_demo(stdout=self.stdout)
        self.stdout.write(summary.report())
        self.stdout.write("")
        self.stdout.write("Demo logins:")
        self.stdout.write(summary.logins_table())
