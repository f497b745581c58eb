"""python manage.py import_questions FILE --category "Path/To/Category" [--format gift|moodle_xml] [--dry-run]"""

from pathlib import Path

from django import forms
from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from courses.forms import clean_category_path, import_max_bytes, parse_upload, translated
from courses.question_bank import FORMATS, format_for_filename, questions_import, questions_preview
from courses.quizformats import QuizFormatError, read_limited


class Command(BaseCommand):
    help = (
        "Import a GIFT or Moodle XML question file into a category of the question bank (created if missing). "
        "Importing the same file again adds nothing."
    )

    def add_arguments(self, parser):
        parser.add_argument("file", help="GIFT (.gift, .txt) or Moodle XML (.xml) file")
        parser.add_argument("--category", required=True, help='target category path, e.g. "Kỹ năng số/Lừa đảo"')
        parser.add_argument("--format", choices=sorted(FORMATS), help="file format (default: from the extension)")
        parser.add_argument("--dry-run", action="store_true", help="check and list the questions, store nothing")

    def handle(self, *args, file, category, format=None, dry_run=False, **options):
        try:
            category_path = clean_category_path(category)
        except forms.ValidationError as error:
            raise CommandError(" ".join(error.messages)) from None
        fmt = format or format_for_filename(file)
        if fmt is None:
            raise CommandError(
                _("Cannot tell the format of “%(file)s” from its extension: give --format gift or --format moodle_xml.")
                % {"file": file}
            )
        try:
            with Path(file).open("rb") as stream:
                content = read_limited(stream, max_bytes=import_max_bytes())
            result = parse_upload(content, fmt)
        except OSError as error:
            raise CommandError(_("Cannot read %(file)s: %(error)s") % {"file": file, "error": error.strerror}) from None
        except QuizFormatError as error:
            where = file if error.line is None else f"{file}:{error.line}"
            raise CommandError(f"{where}: {translated(error.template, error.params)}") from None

        report = questions_preview(result) if dry_run else questions_import(result, category_path=category_path)

        for skipped in report.skipped:
            self.stdout.write(
                _("Skipped question %(position)s “%(name)s” (line %(line)s, type %(type)s): %(reason)s")
                % {
                    "position": skipped["position"],
                    "name": skipped["name"],
                    "line": skipped["line"],
                    "type": skipped["type"],
                    "reason": translated(skipped["reason"]),
                }
            )
        if dry_run:
            for question in report.questions:
                target = f"{category_path}/{question['category']}" if question["category"] else category_path
                self.stdout.write(
                    _("Line %(line)s: %(type)s “%(name)s” → %(category)s")
                    % {"line": question["line"], "type": question["type"], "name": question["name"], "category": target}
                )
            self.stdout.write(
                _("Dry run: %(count)d questions to import into %(category)s, %(skipped)d skipped; nothing stored.")
                % {"count": len(report.questions), "category": category_path, "skipped": len(report.skipped)}
            )
            return
        self.stdout.write(
            _("%(created)d created, %(unchanged)d unchanged, %(skipped)d skipped (category %(category)s).")
            % {
                "created": report.created,
                "unchanged": report.unchanged,
                "skipped": len(report.skipped),
                "category": category_path,
            }
        )
