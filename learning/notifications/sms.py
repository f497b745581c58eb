"""SMS backends: pick one with ``SMS_BACKEND``. A message body never carries a password."""

import json
import logging
import urllib.request

from django.conf import settings
from django.utils.module_loading import import_string

logger = logging.getLogger("learning.sms")


class SmsError(Exception):
    pass


class BaseSmsBackend:
    def send(self, phone: str, text: str) -> None:
        raise NotImplementedError


class ConsoleSmsBackend(BaseSmsBackend):
    """Writes messages to the log: for development and tests."""

    outbox: list[tuple[str, str]] = []

    def send(self, phone, text):
        ConsoleSmsBackend.outbox.append((phone, text))
        logger.info("SMS to %s: %s", phone, text)


class HttpGatewaySmsBackend(BaseSmsBackend):
    """POSTs JSON ``{"to": phone, "text": text}`` to ``SMS_GATEWAY_URL`` with ``SMS_GATEWAY_TOKEN``."""

    def send(self, phone, text):
        url = settings.SMS_GATEWAY_URL
        if not url:
            raise SmsError("SMS_GATEWAY_URL is not set")
        request = urllib.request.Request(  # noqa: S310 - the operator's configured gateway
            url,
            data=json.dumps({"to": phone, "text": text, "sender": settings.SMS_SENDER}).encode(),
            headers={"Content-Type": "application/json", "Authorization": f"Bearer {settings.SMS_GATEWAY_TOKEN}"},
            method="POST",
        )
        try:
            with urllib.request.urlopen(request, timeout=settings.SMS_GATEWAY_TIMEOUT) as response:  # noqa: S310
                if response.status >= 300:
                    raise SmsError(f"gateway answered {response.status}")
        except OSError as exc:
            raise SmsError(str(exc)) from exc


def get_backend() -> BaseSmsBackend:
    return import_string(settings.SMS_BACKEND)()
