"""A submission's cover letter is its ``document`` (documents.Issuable), issued once through the guarded path:
the column is renamed (no data moves), becomes one-to-one and protected, and the claim and error fields the
other holders already have are added."""

import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("awards", "0002_install_standard_catalogue"),
        ("documents", "0001_initial"),
    ]

    operations = [
        migrations.RenameField(model_name="submission", old_name="cover_letter", new_name="document"),
        migrations.AlterField(
            model_name="submission",
            name="document",
            field=models.OneToOneField(
                blank=True,
                null=True,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="+",
                to="documents.issueddocument",
                verbose_name="cover letter",
            ),
        ),
        migrations.AddField(
            model_name="submission",
            name="pdf_claimed_at",
            field=models.DateTimeField(blank=True, editable=False, null=True),
        ),
        migrations.AddField(
            model_name="submission",
            name="pdf_error",
            field=models.TextField(blank=True, verbose_name="PDF error"),
        ),
        migrations.RenameField(model_name="historicalsubmission", old_name="cover_letter", new_name="document"),
        migrations.AddField(
            model_name="historicalsubmission",
            name="pdf_error",
            field=models.TextField(blank=True, verbose_name="PDF error"),
        ),
    ]
