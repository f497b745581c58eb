from django.db import migrations

from courses.competences import COMPONENTS


def load(apps, schema_editor):
    Competence = apps.get_model("courses", "Competence")
    for code, name in COMPONENTS:
        Competence.objects.update_or_create(code=code, defaults={"name": name})


class Migration(migrations.Migration):
    dependencies = [("courses", "0001_catalogue_course_and_lesson_pages")]
    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
