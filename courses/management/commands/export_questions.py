"""python manage.py export_questions --category "Path" [FILE]"""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from courses.models import QuestionCategory
from courses.question_bank import category_export_gift


class Command(BaseCommand):
    help = "Write the questions of one category (not its sub-categories) as GIFT, to FILE or to standard output."

    def add_arguments(self, parser):
        parser.add_argument("file", nargs="?", help="output file (default: standard output)")
        parser.add_argument("--category", required=True, help='category path, e.g. "Kỹ năng số/Lừa đảo"')

    def handle(self, *args, file=None, category, **options):
        path = "/".join(part.strip() for part in category.split("/") if part.strip())
        found = QuestionCategory.objects.filter(path=path).first()
        if found is None:
            raise CommandError(_("There is no question category “%(path)s”.") % {"path": path or category})
        text = category_export_gift(found)
        if file is None or file == "-":
            self.stdout.write(text, ending="")
            return
        try:
            Path(file).write_text(text, encoding="utf-8")
        except OSError as error:
            raise CommandError(
                _("Cannot write %(file)s: %(error)s") % {"file": file, "error": error.strerror}
            ) from None
        count = found.questions.count()
        self.stderr.write(_("%(count)d questions written to %(file)s.") % {"count": count, "file": file})
