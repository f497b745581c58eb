"""Report files move out of MEDIA_ROOT (served as /media/ to anyone) into the private storage, each under a
name with a random token; rows whose file is missing keep their name (the download then answers 404)."""

from django.core.files.storage import storages
from django.db import migrations, models, transaction

import learning.core.storage
import learning.stats.models


def move_to_private(apps, schema_editor):
    ReportSnapshot = apps.get_model("stats", "ReportSnapshot")
    public, private = storages["default"], storages["private"]
    moved = []
    for snapshot in ReportSnapshot.objects.exclude(xlsx="", pdf="").only("pk", "xlsx", "pdf").iterator():
        names = {}
        for field in ("xlsx", "pdf"):
            old = getattr(snapshot, field).name
            if not old or private.exists(old) or not public.exists(old):
                continue
            with public.open(old, "rb") as content:
                names[field] = private.save(learning.stats.models.report_file_name(snapshot, old), content)
            moved.append(old)
        if names:
            ReportSnapshot.objects.filter(pk=snapshot.pk).update(**names)
    # The public copies go once the new names are committed; a failed migration leaves them where they were.
    transaction.on_commit(lambda: [public.delete(name) for name in moved], using=schema_editor.connection.alias)


class Migration(migrations.Migration):
    dependencies = [
        ("stats", "0001_count_tables_fill_state_and_reports"),
    ]

    operations = [
        migrations.AlterField(
            model_name="reportsnapshot",
            name="pdf",
            field=models.FileField(
                blank=True,
                storage=learning.core.storage.private_storage,
                upload_to=learning.stats.models.report_file_name,
            ),
        ),
        migrations.AlterField(
            model_name="reportsnapshot",
            name="xlsx",
            field=models.FileField(
                blank=True,
                storage=learning.core.storage.private_storage,
                upload_to=learning.stats.models.report_file_name,
            ),
        ),
        migrations.RunPython(move_to_private, migrations.RunPython.noop),
    ]
