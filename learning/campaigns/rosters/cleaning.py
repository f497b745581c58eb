"""Cleaning and classifying roster rows: every row's outcome (new, update, unchanged or error, with its
reasons), decided against the organiser's scope and the accounts that exist. Writes nothing."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from learning.accounts.models import TargetGroup, User
from learning.accounts.phone import normalise_phone
from learning.accounts.scopes import communes_in_scope
from learning.accounts.verification import unproven_accounts
from learning.core.text import clean_name
from learning.imports.vocabulary import Communes, code_of, parse_groups
from learning.imports.vocabulary import group_keys as _group_keys

from ..roster_models import OrganisationMembership, RowOutcome

__all__ = ["PlannedRow", "Scope", "_group_keys", "clean_phone", "parse_groups", "roster_classify"]

_phone_ok_prefixes: set[str] = set()
_NATIONAL = re.compile(r"(?:\+?84|0)?([1-9][0-9]{8})")
_SEPARATORS = re.compile(r"[\s.\-()/]+")


def clean_phone(raw: str) -> str:
    """``normalise_phone`` with a fast path: a Vietnamese mobile number's validity depends only on its
    leading digits (phonenumbers' VN metadata: 2–3 digits then a fixed length), so once a 4-digit
    prefix has passed the full check, other 9-digit national numbers with that prefix pass too."""
    text = _SEPARATORS.sub("", raw or "")
    match = _NATIONAL.fullmatch(text)
    if match:
        national = match.group(1)
        if national[:4] in _phone_ok_prefixes:
            return "+84" + national
    e164 = normalise_phone(raw)
    if match and e164 == "+84" + match.group(1):
        _phone_ok_prefixes.add(match.group(1)[:4])
    return e164


@dataclass
class Scope:
    """The organiser's communes, and every commune, for matching a code or a name."""

    in_scope: set[str]
    communes: Communes

    @classmethod
    def of(cls, organiser) -> Scope:
        return cls(in_scope=set(communes_in_scope(organiser).values_list("code", flat=True)), communes=Communes.load())


def _commune(text: str, scope: Scope) -> tuple[str | None, str | None]:
    """(code, error) for a commune written as its code or its name."""
    if not text:
        return None, _("The commune is missing.")
    code = code_of(text)
    if code:
        if code in scope.in_scope:
            return code, None
        if code in scope.communes.by_code:
            return None, _("Commune %(code)s is outside your scope.") % {"code": code}
        return None, _("Unknown commune code “%(code)s”.") % {"code": text}
    found = scope.communes.named(text, within=scope.in_scope)
    if len(found) == 1:
        return found[0].code, None
    if len(found) > 1:
        return None, _("More than one commune in your scope is called “%(name)s”; write its code instead.") % {
            "name": text
        }
    if scope.communes.named(text):
        return None, _("The commune “%(name)s” is outside your scope.") % {"name": text}
    return None, _("Unknown commune “%(name)s”.") % {"name": text}


def _existing(phones: list[str]) -> tuple[dict, dict, dict, set]:
    """For the phones that have accounts: {phone: (pk, commune)}, {pk: set(groups)}, {pk: (org, position)},
    and the ids of the unverified self-registered accounts among them (``unproven_accounts``)."""
    users, groups, memberships, unproven = {}, {}, {}, set()
    through = User.target_groups.through
    for start in range(0, len(phones), 5000):
        chunk = phones[start : start + 5000]
        found = {
            phone: (pk, commune)
            for pk, phone, commune in User.objects.filter(phone__in=chunk).values_list("pk", "phone", "commune_id")
        }
        users.update(found)
        ids = [pk for pk, _c in found.values()]
        if ids:
            unproven.update(User.objects.filter(unproven_accounts(), pk__in=ids).values_list("pk", flat=True))
            for user_id, code in through.objects.filter(user_id__in=ids).values_list("user_id", "targetgroup_id"):
                groups.setdefault(user_id, set()).add(code)
            for user_id, org, position in OrganisationMembership.objects.filter(user_id__in=ids).values_list(
                "user_id", "organisation", "position"
            ):
                memberships[user_id] = (org, position)
    return users, groups, memberships, unproven


@dataclass(slots=True)
class PlannedRow:
    """A roster row as the preview classifies it (stored as a RosterRow)."""

    row_number: int
    full_name: str
    phone: str
    commune_id: str | None
    target_groups: str
    organisation: str
    position: str
    outcome: str
    reason: str = ""
    raw: dict = field(default_factory=dict)
    changes: str = ""

    @property
    def group_codes(self) -> list[str]:
        return [c for c in self.target_groups.split(",") if c]


def _groups(text: str, keys: dict[str, str], known: set[str]) -> tuple[str, str | None]:
    """(comma-separated codes, error) for a target group cell."""
    cleaned = clean_name(text)
    codes, unknown = parse_groups(cleaned, keys)
    codes = [c for c in codes if c in known]
    if unknown:
        return "", _("Unknown target group “%(group)s”.") % {"group": cleaned}
    if not codes:
        return "", _("The target group is missing.")
    return ",".join(codes), None


def _name_errors(name: str) -> list[str]:
    if not name:
        return [_("The full name is missing.")]
    if len(name) > 150:
        return [_("The full name is longer than 150 characters.")]
    if not any(ch.isalpha() for ch in name):
        return [_("The full name has no letters.")]
    return []


def _length_errors(organisation: str, position: str) -> list[str]:
    errors = []
    if len(organisation) > 200:
        errors.append(_("The organisation is longer than 200 characters."))
    if len(position) > 150:
        errors.append(_("The position is longer than 150 characters."))
    return errors


def roster_classify(*, organiser, rows: list[tuple[int, dict[str, str]]]) -> list[PlannedRow]:
    """Every row's outcome: new, update, unchanged or error with its reasons. Writes nothing.

    Communes and target groups are written the same way on many rows: each distinct cell is
    understood once."""
    scope = Scope.of(organiser)
    group_keys = _group_keys()
    known_groups = set(TargetGroup.objects.values_list("code", flat=True))
    communes: dict[str, tuple[str | None, str | None]] = {}
    groups: dict[str, tuple[str, str | None]] = {}
    result: list[PlannedRow] = []
    first_row_of: dict[str, int] = {}
    for number, cells in rows:
        name = clean_name(cells.get("full_name", ""))
        organisation = clean_name(cells.get("organisation", ""))
        position = clean_name(cells.get("position", ""))
        errors = _name_errors(name)
        raw_phone = cells.get("phone", "")
        phone = ""
        try:
            phone = clean_phone(raw_phone)
        except ValidationError as exc:
            errors.append(_("Phone “%(phone)s”: %(problem)s") % {"phone": raw_phone, "problem": exc.messages[0]})
        commune_text = cells.get("commune", "")
        if commune_text not in communes:
            communes[commune_text] = _commune(clean_name(commune_text), scope)
        commune, problem = communes[commune_text]
        if problem:
            errors.append(problem)
        groups_text = cells.get("target_group", "")
        if groups_text not in groups:
            groups[groups_text] = _groups(groups_text, group_keys, known_groups)
        codes_text, problem = groups[groups_text]
        if problem:
            errors.append(problem)
        errors += _length_errors(organisation, position)
        if phone:
            if phone in first_row_of:
                errors.append(
                    _("The phone number is already on row %(row)d of this file.") % {"row": first_row_of[phone]}
                )
            else:
                first_row_of[phone] = number
        row = PlannedRow(
            row_number=number,
            full_name=name[:150],
            phone=phone or raw_phone[:40],
            commune_id=commune,
            target_groups=codes_text,
            organisation=organisation[:200],
            position=position[:150],
            outcome=RowOutcome.ERROR if errors else RowOutcome.NEW,
            reason=" ".join(errors),
        )
        if errors:
            row.raw = {k: v[:300] for k, v in cells.items()}
        result.append(row)
    _compare_with_accounts([r for r in result if r.outcome != RowOutcome.ERROR], scope)
    return result


def _compare_with_accounts(valid: list[PlannedRow], scope: Scope) -> None:
    """Rows whose phone has an account: an update, unchanged, or an error when that account is outside the scope.

    An account someone registered with the number but never verified does not belong to them: the row claims
    it for the person it names (wherever it was registered), and the import sends that person an activation."""
    users, user_groups, memberships, unproven = _existing([r.phone for r in valid])
    for row in valid:
        if row.phone not in users:
            continue
        pk, current_commune = users[row.phone]
        if pk in unproven:
            row.outcome = RowOutcome.CLAIMED
            continue
        if current_commune and current_commune not in scope.in_scope:
            row.outcome = RowOutcome.ERROR
            row.reason = _("This phone number belongs to an account registered outside your scope.")
            row.raw = {"phone": row.phone, "full_name": row.full_name}
            continue
        changes = []
        if current_commune != row.commune_id:
            changes.append("commune")
        if set(row.group_codes) - user_groups.get(pk, set()):
            changes.append("target_groups")
        if row.organisation and memberships.get(pk) != (row.organisation, row.position):
            changes.append("organisation")
        row.outcome = RowOutcome.UPDATE if changes else RowOutcome.UNCHANGED
        row.changes = ",".join(changes)
