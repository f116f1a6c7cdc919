"""The submission deadline (hạn nộp) becomes one kind of the council's deadlines (``blocs.Deadline``):
each council-year's deadline is copied there, with its note, before the old table goes."""

from django.db import migrations


def copy_to_deadlines(apps, schema_editor):
    SubmissionDeadline = apps.get_model("awards", "SubmissionDeadline")
    Deadline = apps.get_model("blocs", "Deadline")
    Deadline.objects.bulk_create(
        Deadline(council_id=old.council_id, year=old.year, kind="submission", due_on=old.deadline, note=old.note)
        for old in SubmissionDeadline.objects.all()
    )


def copy_back(apps, schema_editor):
    SubmissionDeadline = apps.get_model("awards", "SubmissionDeadline")
    Deadline = apps.get_model("blocs", "Deadline")
    SubmissionDeadline.objects.bulk_create(
        SubmissionDeadline(council_id=new.council_id, year=new.year, deadline=new.due_on, note=new.note)
        for new in Deadline.objects.filter(kind="submission", bloc__isnull=True)
    )


class Migration(migrations.Migration):
    dependencies = [
        ("awards", "0006_award_rule_rank_and_score"),
        ("blocs", "0009_deadlines_and_notifications"),
    ]

    operations = [
        migrations.RunPython(copy_to_deadlines, copy_back),
        migrations.RemoveConstraint(model_name="submissiondeadline", name="award_deadline_one_per_year"),
        migrations.DeleteModel(name="HistoricalSubmissionDeadline"),
        migrations.DeleteModel(name="SubmissionDeadline"),
    ]
