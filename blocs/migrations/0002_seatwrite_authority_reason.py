"""Seat writes record the right the writer used and the whole reason (the note was cut at 255 characters)."""

from django.db import migrations, models


def authority_of_existing_writes(apps, schema_editor):
    SeatWrite = apps.get_model("blocs", "SeatWrite")
    # Before this migration only officers and the seat holders wrote seats through the pages, and the demo
    # loader without a user: a writer with a unit wrote as a seat holder.
    SeatWrite.objects.filter(written_by__isnull=True).update(authority="system")
    SeatWrite.objects.filter(written_by__isnull=False, written_by__unit__isnull=True).update(authority="officer")
    SeatWrite.objects.filter(written_by__unit__isnull=False).update(authority="seat_holders")


class Migration(migrations.Migration):
    dependencies = [("blocs", "0001_initial")]

    operations = [
        migrations.RenameField("seatwrite", "note", "reason"),
        migrations.AlterField(
            model_name="seatwrite", name="reason", field=models.TextField(blank=True, verbose_name="reason")
        ),
        migrations.AddField(
            model_name="seatwrite",
            name="authority",
            field=models.CharField(
                choices=[
                    ("officer", "Officer"),
                    ("seat_holders", "Seat holders of the year before"),
                    ("system", "System"),
                ],
                default="system",
                max_length=20,
                verbose_name="authority",
            ),
        ),
        migrations.RunPython(authority_of_existing_writes, migrations.RunPython.noop),
        migrations.AddConstraint(
            model_name="seatwrite",
            constraint=models.CheckConstraint(
                condition=models.Q(authority__in=["officer", "seat_holders", "system"]),
                name="seatwrite_authority_valid",
            ),
        ),
        migrations.AlterField(
            model_name="seatwrite",
            name="source",
            field=models.CharField(
                choices=[
                    ("officer", "Set on the seats page"),
                    ("rotation", "Rotation suggestion accepted"),
                    ("conference", "Elected at a conference"),
                    ("merger", "Passed on by a merger"),
                    ("import", "Imported"),
                ],
                max_length=20,
                verbose_name="source",
            ),
        ),
        migrations.AlterModelOptions(
            name="seatwrite",
            options={
                "ordering": ["-written_at", "-id"],
                "verbose_name": "seat write",
                "verbose_name_plural": "seat writes",
            },
        ),
    ]
