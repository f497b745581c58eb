from celery import shared_task


@shared_task(name="site.ping")
def ping() -> str:
    """A no-op task: proves a worker picks up what the web process sends."""
    return "pong"
