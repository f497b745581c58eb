from celery import shared_task


@shared_task(name="progress.close_expired_attempts")
def close_expired_attempts() -> int:
    """Grade and close timed quiz attempts whose learner never submitted (scheduled every minute)."""
    from .quiz_services import attempts_close_expired

    return attempts_close_expired()
