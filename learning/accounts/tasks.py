"""Account tasks: sending a password-reset code outside the request, so the answer takes the same time
whether or not the number has an account."""

from celery import shared_task

from .verification import password_reset_code_send


@shared_task(name="accounts.send_password_reset_code", ignore_result=True)
def send_password_reset_code(phone: str) -> bool:
    return password_reset_code_send(phone=phone)
