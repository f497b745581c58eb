"""The access log of personal data moves from the site app to this one: the model changes hands in Django's
state only; the table keeps its rows (it is renamed in the next migration)."""

import django.db.models.deletion
import django.utils.timezone
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):
    initial = True

    dependencies = [
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
        ("site", "0001_personal_data_access"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.CreateModel(
                    name="PersonalDataAccess",
                    fields=[
                        (
                            "id",
                            models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID"),
                        ),
                        ("who", models.CharField(max_length=200, verbose_name="who (at the time)")),
                        (
                            "at",
                            models.DateTimeField(
                                db_index=True, default=django.utils.timezone.now, verbose_name="when"
                            ),
                        ),
                        (
                            "what",
                            models.CharField(
                                choices=[
                                    ("people_list", "People list"),
                                    ("person", "Person page"),
                                    ("export", "Export"),
                                ],
                                max_length=20,
                                verbose_name="what",
                            ),
                        ),
                        (
                            "scope",
                            models.CharField(
                                help_text="A commune code, a person's id, a roster or “all in scope”.",
                                max_length=100,
                                verbose_name="scope",
                            ),
                        ),
                        ("path", models.CharField(max_length=500, verbose_name="address")),
                        (
                            "user",
                            models.ForeignKey(
                                null=True,
                                on_delete=django.db.models.deletion.SET_NULL,
                                related_name="+",
                                to=settings.AUTH_USER_MODEL,
                                verbose_name="who",
                            ),
                        ),
                    ],
                    options={
                        "verbose_name": "personal data access",
                        "verbose_name_plural": "personal data accesses",
                        "ordering": ["-at"],
                        "db_table": "site_personaldataaccess",
                    },
                ),
            ],
            database_operations=[],
        ),
    ]
