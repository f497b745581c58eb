from celery import shared_task


@shared_task(name="site.ping")
def ping() -> str:
    """A no-op task: proves a worker picks up what the web process sends."""
    return "pong"


@shared_task(name="site.forget_old_records")
def forget_old_records() -> dict[str, int]:
    """Nightly: delete the personal data past its retention time (``learning.site.retention``)."""
    from .retention import forget_old_records as forget  # noqa: PLC0415  (models load after the app registry)

    return forget()
