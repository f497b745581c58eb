"""The access log of personal data now belongs to ``learning.audit`` (Django's state only: the table and its
rows stay, and are renamed by the audit app's next migration)."""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("site", "0001_personal_data_access"),
        ("audit", "0001_access_log_moved_from_site"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[migrations.DeleteModel(name="PersonalDataAccess")], database_operations=[]
        )
    ]
