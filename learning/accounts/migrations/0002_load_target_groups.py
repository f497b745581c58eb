from django.db import migrations

GROUPS = ["citizen", "student", "official", "party_member", "enterprise_worker", "other"]


def load(apps, schema_editor):
    TargetGroup = apps.get_model("accounts", "TargetGroup")
    for position, code in enumerate(GROUPS):
        TargetGroup.objects.update_or_create(code=code, defaults={"position": position})


class Migration(migrations.Migration):
    dependencies = [("accounts", "0001_user_and_target_groups")]
    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
