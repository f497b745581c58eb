"""Roster writes: confirm a preview, import its valid rows in batches, send each batch's activation SMS.

``roster_import`` writes in batches, each batch in its own transaction, and can be run again after a
crash: it continues where it stopped and creates no duplicates (phone numbers are unique, inserts
ignore conflicts and say which rows they inserted). The worker running it holds the roster's lease and
renews it with every committed batch; ``rosters_resume_stuck`` (beat) resumes an import whose lease ran
out — its worker died — from the last committed batch, or marks it failed with the reason after
``JOB_MAX_ATTEMPTS`` tries. Each batch's activation SMS go out in a task of their own
(``roster_batch_activations_send``), one notification row per person. Large writes go through ``bulk``
(PostgreSQL ``COPY``; ``bulk_create`` elsewhere).
"""

from __future__ import annotations

import logging
import secrets
from datetime import timedelta

from django.conf import settings
from django.contrib.auth.hashers import UNUSABLE_PASSWORD_PREFIX
from django.core.exceptions import ValidationError
from django.db import DatabaseError, InterfaceError, OperationalError, transaction
from django.db.models import Count, F, Q
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import override

from learning.accounts import activation, verification
from learning.accounts.events import PeopleChanged
from learning.accounts.models import User
from learning.accounts.scopes import communes_in_scope
from learning.core.enqueue import enqueue_on_commit
from learning.core.events import publish
from learning.localities.models import Commune
from learning.notifications.models import Channel, Delivery

from .. import bulk
from ..events import MembershipsChanged
from ..models import Assignment, AssignmentMember
from ..roster_models import OrganisationMembership, Roster, RosterBatch, RosterRow, RosterStatus, RowOutcome
from ..services import assignments_sync_user
from .preview import BATCH_SIZE

logger = logging.getLogger(__name__)


class LeaseLost(Exception):
    """Another worker took this import over (this one was presumed dead): stop without writing more."""


def _lease() -> timedelta:
    return timedelta(seconds=settings.JOB_LEASE_SECONDS)


def roster_stalled(roster: Roster, now=None) -> bool:
    """Importing, but nobody renewed the lease in time: its worker died or its task was lost."""
    return roster.is_stalled(now)


def roster_start(*, roster: Roster) -> tuple[Roster, bool]:
    """Mark a previewed (or failed) roster as importing; a stalled import is handed to a new task.
    Returns (roster, whether a task should run it now)."""
    now = timezone.now()
    with transaction.atomic():
        roster = Roster.objects.select_for_update().get(pk=roster.pk)
        if roster.status == RosterStatus.IMPORTED:
            return roster, False
        if roster.status == RosterStatus.IMPORTING and not roster_stalled(roster, now):
            return roster, False  # running: its worker renews the lease
        if roster.status != RosterStatus.IMPORTING and not roster.valid_rows:
            raise ValidationError(_("This roster has no valid rows to import; correct the file and upload it again."))
        roster.status = RosterStatus.IMPORTING
        roster.confirmed_at = roster.confirmed_at or now
        roster.error = ""
        # Time for the task to start; the first worker to take the lease runs it.
        roster.lease_token, roster.lease_until, roster.attempts = "", now + _lease(), 0
        roster.save(update_fields=["status", "confirmed_at", "error", "lease_token", "lease_until", "attempts"])
        return roster, True


def _queue_import(roster_id: int) -> None:
    """Queue the import once the caller's transaction commits (a broker that does not answer: the sweep will)."""
    from ..roster_tasks import import_roster

    enqueue_on_commit(import_roster, roster_id)


def roster_confirm(*, roster: Roster) -> Roster:
    """Confirm the preview (or try a failed or stalled import again): the import runs in the background,
    from the last committed batch, once this transaction commits."""
    roster, start = roster_start(roster=roster)
    if start:
        _queue_import(roster.pk)
    return roster


def rosters_resume_stuck(now=None) -> dict[str, int]:
    """The sweep: an import whose lease ran out is queued again (it resumes after its last committed
    batch), or, once it was taken ``JOB_MAX_ATTEMPTS`` times, marked failed with the reason. The activation
    SMS of a finished import's batch whose task was lost are queued again too."""
    now = now or timezone.now()
    resumed = failed = 0
    unsent = RosterBatch.objects.filter(
        created__gt=0, sms_claimed_at__isnull=True, imported_at__lt=now - _lease()
    ).exclude(roster__status=RosterStatus.IMPORTING)
    for batch in unsent.only("pk", "created")[:200]:
        _queue_activations(batch)
    stalled = Roster.objects.filter(status=RosterStatus.IMPORTING).filter(
        Q(lease_until__lt=now) | Q(lease_until__isnull=True)
    )
    for roster_id, attempts in stalled.values_list("pk", "attempts"):
        still = Roster.objects.filter(pk=roster_id, status=RosterStatus.IMPORTING).filter(
            Q(lease_until__lt=now) | Q(lease_until__isnull=True)
        )
        if attempts >= settings.JOB_MAX_ATTEMPTS:
            with override(settings.LANGUAGE_CODE):  # stored: in the site's language
                reason = _(
                    "The import stopped %(n)s times before it could finish (the server running it stopped). "
                    "Rows already imported are kept; press “Try again” to continue."
                ) % {"n": attempts}
            failed += still.update(
                status=RosterStatus.FAILED, error=reason, finished_at=now, lease_token="", lease_until=None
            )
        elif still.update(lease_token="", lease_until=now + _lease()):
            logger.warning("roster %s: import stalled after %s attempt(s); resuming it", roster_id, attempts)
            _queue_import(roster_id)
            resumed += 1
    return {"resumed": resumed, "failed": failed}


def _lease_take(roster_id: int) -> str | None:
    """Take the import's lease for this worker: a token, or None while another worker holds it."""
    token, now = secrets.token_hex(16), timezone.now()
    taken = (
        Roster.objects.filter(pk=roster_id, status=RosterStatus.IMPORTING)
        .filter(Q(lease_token="") | Q(lease_until__lt=now) | Q(lease_until__isnull=True))
        .update(lease_token=token, lease_until=now + _lease(), attempts=F("attempts") + 1)
    )
    return token if taken else None


def _lease_renew(roster: Roster, token: str, rows: int) -> None:
    """Count a batch's rows and renew the lease, in the batch's transaction; LeaseLost (the batch is rolled
    back) when another worker took the import over."""
    if not Roster.objects.filter(pk=roster.pk, lease_token=token).update(
        processed=F("processed") + rows, lease_until=timezone.now() + _lease()
    ):
        raise LeaseLost(f"roster {roster.pk}: the import was taken over by another worker")


# Columns of a stored row that the import needs (tuples: no model instances for 100,000 rows).
_IMPORT_COLUMNS = (
    "pk",
    "row_number",
    "phone",
    "full_name",
    "commune_id",
    "target_groups",
    "organisation",
    "position",
    "outcome",
)


def _unusable_password() -> str:
    """What ``make_password(None)`` stores, made with one call to the OS random source instead of 40."""
    return UNUSABLE_PASSWORD_PREFIX + secrets.token_urlsafe(30)


def _users_create(people: list[tuple[str, str, str]], now) -> dict[str, int]:
    """Accounts for the (phone, full name, commune) of people who have none, with unusable passwords
    (the activation code lets them choose one). Returns {phone: id} of the accounts this call created:
    a phone registered meanwhile by someone else is left alone."""
    if not people:
        return {}
    fields = ("phone", "full_name", "commune_id", "password", "date_joined")
    rows = [(phone, name, commune, _unusable_password(), now) for phone, name, commune in people]
    if bulk.is_postgresql():
        return dict(bulk.insert(User, fields, rows, ignore_conflicts=True, returning=("phone", "id")))
    bulk.insert(User, fields, rows, ignore_conflicts=True)
    # No RETURNING here: an account is ours when it holds the random password this call gave it.
    password_of = {row[0]: row[3] for row in rows}
    return {
        phone: pk
        for pk, phone, password in User.objects.filter(phone__in=list(password_of)).values_list(
            "pk", "phone", "password"
        )
        if password_of[phone] == password
    }


def _accounts(phones: list[str]) -> dict[str, tuple[int, str | None]]:
    return {p: (pk, c) for pk, p, c in User.objects.filter(phone__in=phones).values_list("pk", "phone", "commune_id")}


def _claim(claims: list[tuple[int, str, str, str]], groups: dict[int, set[str]]) -> None:
    """Give unverified self-registered accounts back to the people the roster names, (user id, phone, full
    name, groups) each: the account takes the row's name and only the row's groups, whoever signed up with
    the number can no longer sign in (``accounts_claim``), and the owner is sent an activation code once
    the batch is committed."""
    if not claims:
        return
    verification.accounts_claim(user_ids=[uid for uid, _phone, _name, _codes in claims])
    through = User.target_groups.through
    for uid, _phone, name, codes in claims:
        User.objects.filter(pk=uid).update(full_name=name)
        keep = [c for c in codes.split(",") if c]
        through.objects.filter(user_id=uid).exclude(targetgroup_id__in=keep).delete()
        groups[uid] = groups.get(uid, set()) & set(keep)
    owners = [(uid, phone) for uid, phone, _name, _codes in claims]
    transaction.on_commit(lambda: activation.activation_codes_send(users=owners))


def _import_batch(
    roster: Roster, batch: list[tuple], in_scope: set[str], token: str, grown: dict | None = None
) -> RosterBatch:
    """Write one batch of stored rows in one transaction: all of it or nothing.

    New people get accounts; existing ones (in scope) get their commune, groups and organisation
    updated; the rows are marked imported, the roster's progress counted and the batch recorded. ``grown``
    counts, per model, the rows the import wrote since it last analysed that table: once they outgrow the
    planner's statistics, the table is analysed before the batch commits (the statistics refresh on commit
    reads it)."""
    now = timezone.now()
    through = User.target_groups.through
    first, last = batch[0][1], batch[-1][1]
    claimed_rows: list[int] = []
    with transaction.atomic():
        Roster.objects.select_for_update().filter(pk=roster.pk).first()  # one worker per roster at a time
        before = _accounts([row[2] for row in batch])
        created = _users_create([(r[2], r[3], r[4]) for r in batch if r[2] not in before], now)
        late = [r[2] for r in batch if r[2] not in before and r[2] not in created]
        if late:  # registered by themselves between the two statements
            before.update(_accounts(late))
        existing = [pk for pk, _commune in before.values()]
        # Decided now, not at the preview: someone may have signed up, or verified their phone, since (the
        # rows stay locked until the batch commits, so a code entered meanwhile waits for the claim).
        unproven = set(
            User.objects.select_for_update()
            .filter(verification.unproven_accounts(), pk__in=existing)
            .values_list("pk", flat=True)
        )
        groups: dict[int, set[str]] = {}
        memberships: dict[int, tuple[str, str]] = {}
        for start in range(0, len(existing), BATCH_SIZE):
            chunk = existing[start : start + BATCH_SIZE]
            for user_id, code in through.objects.filter(user_id__in=chunk).values_list("user_id", "targetgroup_id"):
                groups.setdefault(user_id, set()).add(code)
            for user_id, org, position in OrganisationMembership.objects.filter(user_id__in=chunk).values_list(
                "user_id", "organisation", "position"
            ):
                memberships[user_id] = (org, position)
        outside, done, moved, links, upserts, claims, no_claim = [], [], {}, [], [], [], []
        for pk, _number, phone, name, commune, codes, organisation, position, outcome in batch:
            if phone in created:
                user_id = created[phone]
                done.append((pk, user_id, True, now))
            else:
                user_id, current = before[phone]
                if user_id in unproven:  # not the owner's account: claimed, wherever it was registered
                    claims.append((user_id, phone, name, codes))
                    claimed_rows.append(pk)
                elif current and current not in in_scope:  # moved out of scope since the preview (rare)
                    outside.append(pk)
                    continue
                elif outcome == RowOutcome.CLAIMED:  # the phone was verified after the preview
                    no_claim.append(pk)
                if current != commune:
                    moved.setdefault(commune, []).append(user_id)
                done.append((pk, user_id, False, now))
            have = groups.get(user_id, ())
            links += [(user_id, code) for code in codes.split(",") if code and code not in have]
            if organisation and memberships.get(user_id) != (organisation, position):
                upserts.append((user_id, organisation, position, roster.pk, now))
        # A move or new groups re-attribute a person's history: remember where they counted before the move.
        changed = {user_id for ids in moved.values() for user_id in ids} | {user_id for user_id, _code in links}
        changed |= {user_id for user_id, _phone, _name, _codes in claims}
        changed -= set(created.values())
        previous = set(User.objects.filter(pk__in=changed).values_list("date_joined", "commune_id")) if changed else ()
        _claim(claims, groups)
        for commune, ids in moved.items():  # one UPDATE per commune, not a CASE per row
            User.objects.filter(pk__in=ids).update(commune_id=commune)
        bulk.insert(through, ("user_id", "targetgroup_id"), links, ignore_conflicts=True)
        bulk.insert(
            OrganisationMembership,
            ("user_id", "organisation", "position", "roster_id", "updated_at"),
            upserts,
            update_conflicts=(["user"], ["organisation", "position", "roster", "updated_at"]),
        )
        if outside:
            RosterRow.objects.filter(pk__in=outside).update(
                outcome=RowOutcome.ERROR,
                reason=_("This phone number belongs to an account registered outside your scope."),
                changes="",
                imported_at=now,
            )
        bulk.update(RosterRow, ("user_id", "created_user", "imported_at"), done)
        if claimed_rows:
            RosterRow.objects.filter(pk__in=claimed_rows).update(outcome=RowOutcome.CLAIMED, changes="")
        if no_claim:  # an ordinary update now: synchronise the person's mandatory modules
            RosterRow.objects.filter(pk__in=no_claim).update(outcome=RowOutcome.UPDATE, changes="target_groups")
        _analyze_grown(grown if grown is not None else {}, {User: len(created), through: len(links)})
        publish(
            PeopleChanged(
                joined=frozenset((now, row[4]) for row in batch if row[2] in created),
                changed_ids=frozenset(changed),
                previous=frozenset(previous),
            )
        )
        _lease_renew(roster, token, len(batch))
        return RosterBatch.objects.create(
            roster=roster, first_row=first, last_row=last, rows=len(batch), created=len(created), imported_at=now
        )


def _analyze_grown(grown: dict, written: dict) -> None:
    """Add what a batch ``written`` (rows per model) to ``grown``; analyse the tables it made stale."""
    for model, rows in written.items():
        grown[model] = grown.get(model, 0) + rows
        if bulk.analyze_grown(model, changed=grown[model]):
            grown[model] = 0


def _queue_activations(batch: RosterBatch) -> None:
    """Send the batch's activation codes in a task of their own once the batch is committed."""
    from ..roster_tasks import send_roster_activations

    if batch.created:  # a broker that does not answer: the sweep queues it again
        enqueue_on_commit(send_roster_activations, batch.pk)


def roster_batch_activations_send(*, batch_id: int) -> int:
    """Send a one-time activation code by SMS to every account an imported batch created.

    Each person's message is a notification row of its own (``activation_codes_send``), claimed before
    sending and marked sent after: a second call (a task delivered twice, a resumed import) sends only what
    is still waiting, and what a worker that died left half-way is sent by the notifications' sweep.
    ``sms_claimed_at`` records that the batch's rows exist; ``sms_sent`` how many of them were sent.
    Returns how many messages this call sent. No code is logged or passed around."""
    batch = RosterBatch.objects.filter(pk=batch_id).first()
    if batch is None:
        return 0
    users = list(
        RosterRow.objects.filter(
            roster_id=batch.roster_id,
            row_number__gte=batch.first_row,
            row_number__lte=batch.last_row,
            created_user=True,
            user__isnull=False,
        ).values_list("user_id", "phone")
    )
    sent = activation.activation_codes_send(users=users)
    delivered = Delivery.objects.filter(
        channel=Channel.SMS,
        status=Delivery.Status.SENT,
        user_id__in=[uid for uid, _phone in users],
        key__in=[activation.activation_key(uid) for uid, _phone in users],
    ).count()
    RosterBatch.objects.filter(pk=batch_id).update(sms_claimed_at=timezone.now(), sms_sent=delivered)
    return sent


def _assign(roster: Roster) -> int:
    """Mandatory assignments for the accounts of this roster.

    Accounts it created have no enrolments yet, so their members are inserted in bulk (the same
    group/province/commune rule as ``assignment_populate``); accounts it changed are synced one by one."""
    added = 0
    rows = RosterRow.objects.filter(roster=roster, user__isnull=False)
    commune_codes = list(rows.order_by().values_list("commune_id", flat=True).distinct())
    provinces = set(Commune.objects.filter(code__in=commune_codes).values_list("province_id", flat=True))
    now = timezone.now()
    # What the created accounts hold is exactly what their rows say: decide in Python, with one scan of
    # the rows (no join whose plan depends on statistics that a large import has just made stale).
    province_of = dict(Commune.objects.filter(province_id__in=provinces).values_list("code", "province_id"))
    created = list(
        rows.filter(created_user=True).order_by().values_list("user_id", "commune_id", "target_groups").iterator()
    )
    for assignment in Assignment.objects.filter(province_id__in=provinces).prefetch_related("communes"):
        codes = {c.code for c in assignment.communes.all()}
        members = [
            (assignment.pk, uid, commune, now)
            for uid, commune, groups in created
            if province_of.get(commune) == assignment.province_id
            and assignment.target_group_id in groups.split(",")
            and (not codes or commune in codes)
        ]
        fields = ("assignment_id", "user_id", "commune_id", "assigned_at")
        bulk.insert(AssignmentMember, fields, members, ignore_conflicts=True)
        bulk.analyze_grown(AssignmentMember, changed=len(members))
        if members:  # a bulk insert is announced like any other membership change
            made = tuple(AssignmentMember(**dict(zip(fields, row, strict=True))) for row in members)
            publish(MembershipsChanged(members=made))
        added += len(members)
    changed = list(
        rows.filter(Q(created_user=False) & (~Q(changes="") | Q(outcome=RowOutcome.CLAIMED))).values_list(
            "user_id", flat=True
        )
    )
    for start in range(0, len(changed), BATCH_SIZE):
        for user in User.objects.filter(pk__in=changed[start : start + BATCH_SIZE]):
            assignments_sync_user(user=user)
    return added


def roster_finish_counts(roster: Roster) -> None:
    counts = dict(RosterRow.objects.filter(roster=roster).values_list("outcome").annotate(n=Count("pk")))
    error = counts.get(RowOutcome.ERROR, 0)
    Roster.objects.filter(pk=roster.pk).update(
        error_rows=error,
        valid_rows=F("total_rows") - error,
        new_rows=counts.get(RowOutcome.NEW, 0),
        update_rows=counts.get(RowOutcome.UPDATE, 0),
        unchanged_rows=counts.get(RowOutcome.UNCHANGED, 0),
        claimed_rows=counts.get(RowOutcome.CLAIMED, 0),
        processed=RosterRow.objects.filter(roster=roster, imported_at__isnull=False).count(),
        created_count=RosterRow.objects.filter(roster=roster, created_user=True).count(),
    )


def roster_import(*, roster: Roster, batch_size: int | None = None, progress=None) -> Roster:
    """Import the valid rows of a confirmed roster in batches; safe to run again after a crash.

    The caller takes the roster's lease first (one worker at a time; a roster another worker is importing
    is returned as it is). Each batch is one transaction (all of its rows or none) that moves the
    roster's progress on and renews the lease; its activation SMS go out in a task of their own. Run
    again, it continues after the last committed batch and queues the SMS of batches whose task never
    ran. A database that stops answering leaves the roster importing: the sweep resumes it."""
    batch_size = batch_size or settings.ROSTER_IMPORT_BATCH_SIZE
    roster = Roster.objects.select_related("organiser").get(pk=roster.pk)
    if roster.status == RosterStatus.IMPORTED:
        return roster
    if roster.status != RosterStatus.IMPORTING:
        raise ValidationError(_("Confirm the roster before importing it."))
    token = _lease_take(roster.pk)
    if token is None:
        logger.info("roster %s: another worker holds the import", roster.pk)
        return roster
    try:
        for batch in RosterBatch.objects.filter(roster=roster, created__gt=0, sms_claimed_at__isnull=True):
            _queue_activations(batch)  # left over by an import that stopped
        in_scope = set(communes_in_scope(roster.organiser).values_list("code", flat=True))
        pending = (
            RosterRow.objects.filter(roster=roster, imported_at__isnull=True)
            .exclude(outcome=RowOutcome.ERROR)
            .order_by("row_number")
            .values_list(*_IMPORT_COLUMNS)
        )
        last, grown = 0, {}
        while True:
            batch = list(pending.filter(row_number__gt=last)[:batch_size])
            if not batch:
                break
            last = batch[-1][1]
            done = _import_batch(roster, batch, in_scope, token, grown)
            _queue_activations(done)
            if progress:
                progress(batch)
        _assign(roster)
        roster_finish_counts(roster)
        Roster.objects.filter(pk=roster.pk, lease_token=token).update(
            status=RosterStatus.IMPORTED, finished_at=timezone.now(), lease_token="", lease_until=None
        )
    except LeaseLost:
        logger.warning("roster %s: another worker took the import over; this one stops", roster.pk)
    except (OperationalError, InterfaceError):
        logger.warning("roster %s: the database stopped answering; the sweep resumes the import", roster.pk)
        raise
    except Exception as exc:
        logger.exception("roster %s: import failed", roster.pk)
        try:
            Roster.objects.filter(pk=roster.pk, lease_token=token).update(
                status=RosterStatus.FAILED,
                finished_at=timezone.now(),
                error=f"{type(exc).__name__}: {exc}"[:1000],
                lease_token="",
                lease_until=None,
            )
        except DatabaseError:
            logger.warning("roster %s: could not record the failure; the sweep resumes it", roster.pk)
        raise
    roster.refresh_from_db()
    return roster


def roster_person_erase(*, user: User, former_phone: str) -> int:
    """An erased person (``PersonErased``) leaves the rosters: the rows that named them keep their outcome
    (the roster's counts stay) but lose the name, the phone (the account's placeholder instead), the
    organisation, the position and the cells as written; where they worked is forgotten. Returns the rows."""
    OrganisationMembership.objects.filter(user=user).delete()
    return RosterRow.objects.filter(Q(user=user) | Q(phone=former_phone)).update(
        full_name="", phone=user.phone, organisation="", position="", raw={}
    )
