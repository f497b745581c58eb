"""Roster preview: read and classify a file and store every row's outcome; no person is written.

The import works from these stored rows: the file is read once."""

from __future__ import annotations

import hashlib

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils.translation import gettext as _

from learning.accounts.scopes import is_organiser

from .. import bulk
from ..roster_models import Roster, RosterRow, RowOutcome
from .cleaning import roster_classify
from .reading import roster_read

BATCH_SIZE = 2000


def _check_organiser(organiser) -> None:
    if not is_organiser(organiser):
        raise PermissionDenied(_("Only commune and provincial organisers can import rosters."))


ROW_FIELDS = (
    "roster_id",
    "row_number",
    "full_name",
    "phone",
    "commune_id",
    "target_groups",
    "organisation",
    "position",
    "raw",
    "outcome",
    "reason",
    "changes",
)


def _counts(rows) -> dict[str, int]:
    counts = dict.fromkeys(RowOutcome.values, 0)
    for row in rows:
        counts[row.outcome] += 1
    return {
        "total_rows": len(rows),
        "error_rows": counts[RowOutcome.ERROR],
        "valid_rows": len(rows) - counts[RowOutcome.ERROR],
        "new_rows": counts[RowOutcome.NEW],
        "update_rows": counts[RowOutcome.UPDATE],
        "unchanged_rows": counts[RowOutcome.UNCHANGED],
        "claimed_rows": counts[RowOutcome.CLAIMED],
    }


def roster_preview(*, organiser, content: bytes, filename: str) -> Roster:
    """Read and classify a roster and store the preview (one RosterRow per row); no person is written.

    The import works from these stored rows: the file is read once."""
    _check_organiser(organiser)
    sheet = roster_read(content=content, filename=filename)
    rows = roster_classify(organiser=organiser, rows=sheet.rows)
    with transaction.atomic():
        roster = Roster.objects.create(
            organiser=organiser,
            filename=(filename or "roster")[-255:],
            sha256=hashlib.sha256(content).hexdigest(),
            **_counts(rows),
        )
        bulk.insert(
            RosterRow,
            ROW_FIELDS,
            (
                (
                    roster.pk,
                    r.row_number,
                    r.full_name,
                    r.phone,
                    r.commune_id,
                    r.target_groups,
                    r.organisation,
                    r.position,
                    r.raw,
                    r.outcome,
                    r.reason,
                    r.changes,
                )
                for r in rows
            ),
            batch_size=BATCH_SIZE,
        )
        bulk.analyze_grown(RosterRow, changed=len(rows))  # the import reads these rows back in batches
    return roster
