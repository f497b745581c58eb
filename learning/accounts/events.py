"""What happens to people's accounts, announced by ``services`` (and the user admin) and by bulk imports
(followed by ``learning.campaigns`` and ``learning.stats``: see ``learning.core.events``)."""

from dataclasses import dataclass

from learning.core.events import Event

from .models import User


@dataclass(frozen=True)
class PersonRegistered(Event):
    user: User


@dataclass(frozen=True)
class PersonChanged(Event):
    """A person's commune or target groups may have changed (profile, user admin)."""

    user: User
    previous_commune_id: str | None

    @property
    def moved(self) -> bool:
        return self.previous_commune_id != self.user.commune_id


@dataclass(frozen=True)
class PersonErased(Event):
    """A person deleted their account (``services.user_erase``): their personal fields are erased, their
    records stay, anonymised. Followers erase the copies of the name they keep (certificates, rosters);
    ``former_phone`` finds roster rows that never became the account."""

    user: User
    former_phone: str


@dataclass(frozen=True)
class PeopleChanged(Event):
    """A bulk write (a roster import) created or moved many people at once.

    ``joined`` are the (time, commune) of new accounts; ``changed_ids`` the people moved or given new groups,
    and ``previous`` the (time they joined, commune) those people counted in before the move.
    """

    joined: frozenset[tuple] = frozenset()
    changed_ids: frozenset[int] = frozenset()
    previous: frozenset[tuple] = frozenset()
