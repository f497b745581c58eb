from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from courses.demo_content import COURSES, QUESTIONS_DIR
from courses.services import demo_course_ensure, demo_quizzes_ensure, site_ensure
from learning.localities.models import Commune
from learning.site import demo
from learning.stats.fill import fill_all


class Command(BaseCommand):
    help = "Create the demo courses, accounts and learners (idempotent and deterministic)."

    def add_arguments(self, parser):
        parser.add_argument("--seed", type=int, default=1, help="Random seed for the learners' progress.")
        parser.add_argument(
            "--allow-production", action="store_true", help="Run even when DEBUG is off (demo passwords!)."
        )

    def handle(self, *args, seed, allow_production, **options):
        if not settings.DEBUG and not allow_production:
            raise CommandError("seed_demo creates accounts with published passwords; refusing with DEBUG off.")
        if not Commune.objects.exists():
            raise CommandError("No communes loaded: run `python manage.py load_localities` first.")
        _home, catalogue = site_ensure()
        for data in COURSES:
            course, created = demo_course_ensure(catalogue=catalogue, data=data)
            self.stdout.write(f"{'created' if created else 'kept'}: {course.title}")
            bank = QUESTIONS_DIR / f"{data['module']}.gift"
            quizzes = demo_quizzes_ensure(course=course, gift=bank.read_bytes())
            self.stdout.write(f"  quizzes created: {quizzes}")
        _admin, created = demo.admin_ensure()
        self.stdout.write(f"admin account {'created' if created else 'kept'}: {demo.ADMIN['phone']}")
        count = demo.learners_ensure(seed=seed)
        self.stdout.write(f"demo learners created: {count} (of {len(demo.LEARNERS)})")
        count = demo.organisers_ensure()
        self.stdout.write(f"demo organisers created: {count} (of {len(demo.ORGANISERS)})")
        self.stdout.write(f"demo campaign {'created' if demo.campaign_ensure() else 'kept'}")
        state = fill_all()
        self.stdout.write(f"statistics recomputed from {state.first_day} to {state.last_day}")
