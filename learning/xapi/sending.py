"""Sending the outbox to the LRSs (run by the ``xapi`` worker; ``tasks.send_statements``).

A sender claims a batch of pending deliveries of one LRS (``SELECT … FOR UPDATE SKIP LOCKED``, then a lease
of ``XAPI_LEASE_SECONDS``), commits, POSTs them as one JSON array to ``…/statements`` and marks them sent.
A sender killed between the POST and the marking leaves them leased; once the lease runs out the next sender
posts them again, and the LRS, which keys statements by id, stores nothing twice (an id it holds with the same
content is skipped; a conflicting one answers 409, counted as delivered).

- The LRS refuses the batch (400, 409, 413, 422): the batch is cut in two and each half sent again, down to
  single statements; a statement refused on its own is parked with the LRS's reason, the others go on.
- The LRS is unreachable, answers 5xx or 429: nothing is marked, the LRS is tried again after a back-off
  (``XAPI_RETRY_SECONDS`` doubled per consecutive failure, at most ``XAPI_RETRY_MAX_SECONDS``).
- The LRS refuses the credentials or the address (401, 403, 404, 405), or is misconfigured: the same
  back-off, with the reason shown to administrators; the site goes on.
"""

from __future__ import annotations

import logging
import time
import uuid
from dataclasses import dataclass, field
from datetime import timedelta

import requests
from django.conf import settings
from django.db import transaction
from django.db.models import F, Q, TextField
from django.db.models.functions import Cast
from django.utils import timezone
from django.utils.translation import gettext as _

from .models import Delivery, Lrs

logger = logging.getLogger(__name__)

WRONG_CONFIGURATION = {401, 403, 404, 405}


class LrsUnavailable(Exception):
    """Nothing was stored by the LRS this time; try the whole LRS again later."""


@dataclass
class Outcome:
    sent: int = 0
    parked: int = 0
    batches: int = 0
    error: str = ""
    remaining: bool = False
    errors: list[str] = field(default_factory=list)


@dataclass(frozen=True)
class Row:
    delivery_id: int
    statement_id: uuid.UUID
    raw: str  # the statement's JSON text, as stored


def claim(lrs: Lrs, *, limit: int, now=None) -> tuple[uuid.UUID, list[Row]]:
    """Lease up to ``limit`` pending deliveries of ``lrs`` (the oldest first) that no live sender holds."""
    now = now or timezone.now()
    token = uuid.uuid4()
    with transaction.atomic():
        ids = list(
            Delivery.objects.filter(lrs=lrs, status=Delivery.Status.PENDING)
            .filter(Q(leased_until__isnull=True) | Q(leased_until__lt=now))
            .order_by("pk")
            .select_for_update(skip_locked=True)
            .values_list("pk", flat=True)[:limit]
        )
        if not ids:
            return token, []
        Delivery.objects.filter(pk__in=ids).update(
            lease=token, leased_until=now + timedelta(seconds=settings.XAPI_LEASE_SECONDS), attempts=F("attempts") + 1
        )
    rows = (
        Delivery.objects.filter(pk__in=ids)
        .order_by("pk")
        .annotate(raw=Cast("statement__payload", TextField()))
        .values_list("pk", "statement_id", "raw")
    )
    return token, [Row(*row) for row in rows]


def mark_sent(token: uuid.UUID, rows: list[Row], note: str = "") -> int:
    """The LRS holds these statements (only rows still leased by this sender are marked)."""
    return Delivery.objects.filter(pk__in=[r.delivery_id for r in rows], lease=token).update(
        status=Delivery.Status.SENT, sent_at=timezone.now(), leased_until=None, lease=None, error=note
    )


def park(token: uuid.UUID, row: Row, reason: str) -> int:
    return Delivery.objects.filter(pk=row.delivery_id, lease=token).update(
        status=Delivery.Status.PARKED, leased_until=None, lease=None, error=reason[:2000]
    )


def release(token: uuid.UUID) -> int:
    """Give back what this sender still holds, to be sent with the next batch."""
    return Delivery.objects.filter(lease=token, status=Delivery.Status.PENDING).update(leased_until=None, lease=None)


def _describe(response) -> str:
    body = (response.text or "").strip().replace("\n", " ")
    return f"HTTP {response.status_code}: {body[:500]}"


def post(session: requests.Session, lrs: Lrs, rows: list[Row]) -> requests.Response:
    body = ("[" + ",".join(row.raw for row in rows) + "]").encode()
    try:
        return session.post(
            lrs.statements_url,
            data=body,
            auth=(lrs.key, lrs.password()),
            headers={"Content-Type": "application/json", "X-Experience-API-Version": "1.0.3"},
            timeout=settings.XAPI_TIMEOUT_SECONDS,
        )
    except requests.RequestException as exc:
        raise LrsUnavailable(_("The LRS could not be reached: %(error)s") % {"error": exc.__class__.__name__}) from exc


def send(session: requests.Session, lrs: Lrs, token: uuid.UUID, rows: list[Row], outcome: Outcome) -> None:
    """POST ``rows``; cut a refused batch in two until the refused statements are found and parked."""
    response = post(session, lrs, rows)
    outcome.batches += 1
    status = response.status_code
    refused = 400 <= status < 500 and status not in WRONG_CONFIGURATION | {408, 429}
    if 200 <= status < 300:
        outcome.sent += mark_sent(token, rows)
    elif status == 409 and len(rows) == 1:
        # The LRS already holds a statement with this id: it is delivered (the LRS keeps the first one).
        outcome.sent += mark_sent(token, rows, note=_describe(response))
    elif refused and len(rows) > 1:
        half = len(rows) // 2
        send(session, lrs, token, rows[:half], outcome)
        send(session, lrs, token, rows[half:], outcome)
    elif refused:
        reason = _describe(response)
        outcome.parked += park(token, rows[0], reason)
        logger.warning("xAPI statement %s parked for %s: %s", rows[0].statement_id, lrs, reason)
    elif status in WRONG_CONFIGURATION:
        raise LrsUnavailable(
            _("The LRS refused the address or the credentials (%(answer)s): check its settings.")
            % {"answer": _describe(response)}
        )
    else:
        raise LrsUnavailable(_("The LRS is not answering normally (%(answer)s).") % {"answer": _describe(response)})


def _failed(lrs: Lrs, message: str, now) -> None:
    failures = lrs.failures + 1
    delay = min(settings.XAPI_RETRY_SECONDS * 2 ** (failures - 1), settings.XAPI_RETRY_MAX_SECONDS)
    Lrs.objects.filter(pk=lrs.pk).update(
        failures=failures, retry_at=now + timedelta(seconds=delay), last_error=message, last_error_at=now
    )
    logger.warning("xAPI: %s failed (%s); next try in %s s", lrs, message, delay)


def deliver(lrs: Lrs, *, batch_size: int | None = None, seconds: float | None = None, session=None) -> Outcome:
    """Send ``lrs``'s pending statements, batch after batch, for at most ``seconds``."""
    batch_size = batch_size or settings.XAPI_BATCH_SIZE
    budget = settings.XAPI_SEND_SECONDS if seconds is None else seconds
    outcome = Outcome()
    now = timezone.now()
    problem = lrs.problem()
    if problem:
        _failed(lrs, problem, now)
        outcome.error = problem
        return outcome
    session = session or requests.Session()
    started = time.monotonic()
    while True:
        token, rows = claim(lrs, limit=batch_size)
        if not rows:
            break
        try:
            send(session, lrs, token, rows, outcome)
        except LrsUnavailable as exc:
            release(token)
            _failed(lrs, str(exc), timezone.now())
            outcome.error = str(exc)
            return outcome
        release(token)
        if time.monotonic() - started > budget:
            outcome.remaining = True
            break
    if outcome.batches:
        Lrs.objects.filter(pk=lrs.pk).update(failures=0, retry_at=None, last_sent_at=timezone.now())
    return outcome


def lrs_due(now=None):
    now = now or timezone.now()
    return Lrs.objects.filter(enabled=True).filter(Q(retry_at__isnull=True) | Q(retry_at__lte=now)).order_by("pk")


def deliver_all(*, seconds: float | None = None) -> dict[str, Outcome]:
    """Every enabled LRS whose back-off is over, one after the other."""
    return {lrs.name: deliver(lrs, seconds=seconds) for lrs in lrs_due()}
