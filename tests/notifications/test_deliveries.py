"""Messages claimed per person and marked sent after the gateway accepted them: retried with back-off, never
sent twice for one key, never silently dropped; the gateway gets the message's idempotency key."""

import json
import re
import threading
from datetime import timedelta
from http.server import BaseHTTPRequestHandler, HTTPServer

import pytest
from django.utils import timezone

from learning.accounts.activation import activation_codes_send, activation_complete
from learning.notifications.models import Delivery
from learning.notifications.services import deliveries_retry, deliveries_send, sms_send
from learning.notifications.sms import ConsoleSmsBackend, SmsError

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def outbox():
    ConsoleSmsBackend.outbox.clear()
    yield ConsoleSmsBackend.outbox
    ConsoleSmsBackend.outbox.clear()


def _due(delivery):
    Delivery.objects.filter(pk=delivery.pk).update(next_try_at=timezone.now() - timedelta(seconds=1))


def test_sms_send_records_the_message_and_sends_it_once_per_key(learner, django_capture_on_commit_callbacks, outbox):
    with django_capture_on_commit_callbacks(execute=True):
        first = sms_send(user=learner, key="test:1", text="Xin chào")
        again = sms_send(user=learner, key="test:1", text="Xin chào")
    assert first.pk == again.pk and outbox == [(learner.phone, "Xin chào")]
    first.refresh_from_db()
    assert (first.status, first.attempts, first.next_try_at) == ("sent", 1, None)
    assert deliveries_send([first.pk]) == 0 and deliveries_retry() == 0 and len(outbox) == 1


@pytest.mark.parametrize("placeholder", ["+84100000042", "+84000000042"], ids=["no phone proven", "erased"])
def test_no_message_goes_to_a_placeholder_number(learner, django_capture_on_commit_callbacks, outbox, placeholder):
    type(learner).objects.filter(pk=learner.pk).update(phone=placeholder)
    learner.refresh_from_db()
    assert not learner.phone_reachable
    with django_capture_on_commit_callbacks(execute=True):
        delivery = sms_send(user=learner, key="test:placeholder", text="Nhắc học")
    delivery.refresh_from_db()
    assert delivery.status == "skipped" and outbox == []


def test_a_refused_message_is_tried_again_with_back_off_then_failed_for_good(learner, settings, monkeypatch, outbox):
    settings.NOTIFICATIONS_MAX_ATTEMPTS = 3
    settings.NOTIFICATIONS_RETRY_SECONDS = 60
    refused = []

    def gateway_down(self, phone, text, key=""):
        refused.append(key)
        raise SmsError("gateway answered 503")

    monkeypatch.setattr(ConsoleSmsBackend, "send", gateway_down)
    delivery = sms_send(user=learner, key="test:2", text="x")
    deliveries_send([delivery.pk])
    delivery.refresh_from_db()
    assert (delivery.status, delivery.attempts, delivery.error) == ("failed", 1, "gateway answered 503")
    wait = delivery.next_try_at - timezone.now()
    assert timedelta(seconds=55) < wait <= timedelta(seconds=60)
    assert deliveries_retry() == 0 and len(refused) == 1  # not due yet
    _due(delivery)
    deliveries_retry()
    delivery.refresh_from_db()
    assert delivery.attempts == 2 and delivery.next_try_at - timezone.now() > timedelta(seconds=115)  # doubled
    _due(delivery)
    deliveries_retry()
    delivery.refresh_from_db()
    assert (delivery.status, delivery.attempts, delivery.next_try_at) == ("failed", 3, None)  # visible, final
    _due(delivery)
    assert deliveries_retry() == 0 and len(refused) == 3
    assert set(refused) == {f"delivery-{delivery.pk}"}  # the same idempotency key on every try

    monkeypatch.undo()  # the gateway is back: the next failure of the same kind is sent on its retry
    other = sms_send(user=learner, key="test:3", text="y")
    Delivery.objects.filter(pk=other.pk).update(status="failed", attempts=1)
    _due(other)
    assert deliveries_retry() == 1 and outbox == [(learner.phone, "y")]


def test_the_http_gateway_gets_the_idempotency_key(learner, settings):
    seen = []

    class Gateway(BaseHTTPRequestHandler):
        def do_POST(self):  # noqa: N802 - the http.server name
            body = json.loads(self.rfile.read(int(self.headers["Content-Length"])))
            seen.append((self.headers["Idempotency-Key"], body["to"], body["text"]))
            self.send_response(202)
            self.end_headers()

        def log_message(self, *args):
            pass

    server = HTTPServer(("127.0.0.1", 0), Gateway)
    threading.Thread(target=server.handle_request, daemon=True).start()
    settings.SMS_BACKEND = "learning.notifications.sms.HttpGatewaySmsBackend"
    settings.SMS_GATEWAY_URL = f"http://127.0.0.1:{server.server_port}/sms"
    delivery = sms_send(user=learner, key="test:4", text="Mã 1")
    assert deliveries_send([delivery.pk]) == 1
    server.server_close()
    assert seen == [(f"delivery-{delivery.pk}", learner.phone, "Mã 1")]


def test_the_file_backend_writes_one_json_line_per_message(learner, settings, tmp_path):
    settings.SMS_BACKEND = "learning.notifications.sms.FileSmsBackend"
    settings.SMS_FILE = str(tmp_path / "sms.jsonl")
    delivery = sms_send(user=learner, key="test:5", text="Chào")
    deliveries_send([delivery.pk])
    lines = [json.loads(line) for line in (tmp_path / "sms.jsonl").read_text().splitlines()]
    assert lines == [{"to": learner.phone, "text": "Chào", "key": f"delivery-{delivery.pk}"}]


def test_an_activation_sms_sent_again_after_a_crash_carries_the_same_working_code(make_user, outbox):
    person = make_user(verified=False)
    person.set_unusable_password()
    person.save()
    assert activation_codes_send(users=[(person.pk, person.phone)]) == 1
    delivery = Delivery.objects.get(user=person, key=f"activation:{person.pk}")
    # The worker "died" after the gateway accepted it but before recording it: the sweep sends it again.
    Delivery.objects.filter(pk=delivery.pk).update(status="sending", next_try_at=timezone.now() - timedelta(seconds=1))
    assert deliveries_retry() == 1
    first, second = (re.search(r"\b(\d{6})\b", text).group(1) for _phone, text in outbox)
    assert first == second  # one code: whichever SMS the person reads works
    assert activation_codes_send(users=[(person.pk, person.phone)]) == 0 and len(outbox) == 2
    assert not Delivery.objects.filter(body__contains=first).exists()
    user = activation_complete(phone=person.phone, code=first, password1="Mat-khau-2025!", password2="Mat-khau-2025!")
    assert user.pk == person.pk
