from celery import shared_task


@shared_task(name="core.ping")
def ping() -> str:
    """A no-op task: proves a worker picks up what the web process sends."""
    return "pong"
