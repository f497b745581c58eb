"""SMS backends: pick one with ``SMS_BACKEND``. A message body never carries a password."""

import fcntl
import json
import logging
import urllib.request

from django.conf import settings
from django.utils.module_loading import import_string

logger = logging.getLogger("learning.sms")


class SmsError(Exception):
    pass


class BaseSmsBackend:
    def send(self, phone: str, text: str, key: str = "") -> None:
        """Hand one message to the provider; raise SmsError when it is not accepted. ``key`` is the same
        for every try of one message (the provider's idempotency key, where it has one)."""
        raise NotImplementedError


class ConsoleSmsBackend(BaseSmsBackend):
    """Writes messages to the log: for development and tests."""

    outbox: list[tuple[str, str]] = []

    def send(self, phone, text, key=""):
        ConsoleSmsBackend.outbox.append((phone, text))
        logger.info("SMS to %s: %s", phone, text)


class FileSmsBackend(BaseSmsBackend):
    """Appends each message as one JSON line ``{"to", "text", "key"}`` to the file ``SMS_FILE``: for
    development and for tests whose messages are sent by other processes (workers)."""

    def send(self, phone, text, key=""):
        if not settings.SMS_FILE:
            raise SmsError("SMS_FILE is not set")
        line = json.dumps({"to": phone, "text": text, "key": key}, ensure_ascii=False) + "\n"
        with open(settings.SMS_FILE, "a", encoding="utf-8") as out:
            fcntl.flock(out, fcntl.LOCK_EX)
            out.write(line)
            out.flush()


class HttpGatewaySmsBackend(BaseSmsBackend):
    """POSTs JSON ``{"to": phone, "text": text}`` to ``SMS_GATEWAY_URL`` with ``SMS_GATEWAY_TOKEN``; the
    message's key goes in the ``Idempotency-Key`` header, so a gateway that honours it sends a retried
    message once."""

    def send(self, phone, text, key=""):
        url = settings.SMS_GATEWAY_URL
        if not url:
            raise SmsError("SMS_GATEWAY_URL is not set")
        headers = {"Content-Type": "application/json", "Authorization": f"Bearer {settings.SMS_GATEWAY_TOKEN}"}
        if key:
            headers["Idempotency-Key"] = key
        request = urllib.request.Request(  # noqa: S310 - the operator's configured gateway
            url,
            data=json.dumps({"to": phone, "text": text, "sender": settings.SMS_SENDER}).encode(),
            headers=headers,
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
