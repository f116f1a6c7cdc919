"""Give every council that existed before the awards app its copy of the standard award catalogue.

New councils get it from the post_save signal in ``awards.apps``; this covers the ones already in the
database. It reads the catalogue from ``awards.catalogue`` (plain data, no models), so it installs what the
code defines when it runs; like the service, it adds only the types a council lacks.
"""

from django.db import migrations


def install(apps, schema_editor):
    from awards.catalogue import STANDARD_CATALOGUE

    Council = apps.get_model("blocs", "Council")
    AwardType = apps.get_model("awards", "AwardType")
    for council in Council.objects.all():
        codes = set(AwardType.objects.filter(council=council).values_list("code", flat=True))
        names = set(AwardType.objects.filter(council=council).values_list("name", flat=True))
        AwardType.objects.bulk_create(
            [
                AwardType(
                    council=council,
                    code=standard.code,
                    name=standard.name,
                    recipient_kind=standard.recipient_kind,
                    level=standard.level,
                    authority=standard.authority,
                    order=order * 10,
                )
                for order, standard in enumerate(STANDARD_CATALOGUE, start=1)
                if standard.code not in codes and standard.name not in names
            ]
        )


class Migration(migrations.Migration):
    dependencies = [
        ("awards", "0001_initial"),
        ("blocs", "0001_initial"),
    ]

    operations = [migrations.RunPython(install, migrations.RunPython.noop)]
