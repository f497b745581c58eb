"""The statistics' people list of a commune, in Vietnamese name order (``learning.stats.selectors.people``):
an index on the people's table that gives a page in that order without sorting the commune (150,000 people
in a large ward), and lets the overdue list stop after a page (``people_after``). PostgreSQL with ICU only
(the order is the server's Vietnamese collation); nothing elsewhere."""

from django.db import migrations

from learning.localities.collation import postgresql_collation

INDEX = "user_commune_name_vi"


def create(apps, schema_editor):
    connection = schema_editor.connection
    if connection.vendor != "postgresql":
        return
    collation = postgresql_collation(connection)
    if collation is None:
        return
    quote = connection.ops.quote_name
    schema_editor.execute(
        f"CREATE INDEX IF NOT EXISTS {INDEX} ON accounts_user (commune_id, (full_name COLLATE {quote(collation)}), id)"
    )


def drop(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(f"DROP INDEX IF EXISTS {INDEX}")


class Migration(migrations.Migration):
    dependencies = [
        ("stats", "0003_report_generation_lease"),
        ("accounts", "0005_index_join_date_and_commune_names"),
    ]

    operations = [migrations.RunPython(create, drop, elidable=False)]
