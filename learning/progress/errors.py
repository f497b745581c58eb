from django.core.exceptions import ValidationError


class QuizError(ValidationError):
    """A refused quiz action, with a machine-readable code and the field it concerns."""

    def __init__(self, code: str, message: str, *, field: str = "detail"):
        super().__init__({field: [message]}, code=code)
        self.quiz_code = code
