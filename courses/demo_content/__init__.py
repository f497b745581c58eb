"""Demo content of the "Bình dân học vụ số" courses (plain data, no Django imports).

Each module defines one ``COURSE`` dict; ``COURSES`` lists them in display order. Each course's
question bank is a GIFT file in ``questions/`` named after its module.
"""

from pathlib import Path

from . import ai_basics, data_basics, digital_skills

QUESTIONS_DIR = Path(__file__).resolve().parent / "questions"

COURSES = [
    {**module.COURSE, "module": module.__name__.rsplit(".", 1)[-1]}
    for module in (data_basics, digital_skills, ai_basics)
]

__all__ = ["COURSES", "QUESTIONS_DIR"]
