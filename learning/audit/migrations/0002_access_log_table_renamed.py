"""The access log's table takes this app's name (its rows, sequence and indexes go with it)."""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("audit", "0001_access_log_moved_from_site"),
        ("site", "0002_access_log_moved_to_audit"),
    ]

    operations = [migrations.AlterModelTable(name="personaldataaccess", table=None)]
