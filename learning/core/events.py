"""Side effects made explicit: a service announces what happened; other apps follow it.

A service publishes an event — a frozen dataclass such as ``LessonCompleted`` declared in its own app's
``events.py`` — and every handler subscribed to that class runs at once, in the caller's transaction,
in the order of subscription. So a statistic marked or a mandatory module updated because of a write
commits or rolls back with it, and an error in a handler undoes the write (nothing half-done).

Apps subscribe in their ``AppConfig.ready()`` (see ``learning/stats/subscriptions.py`` and
``learning/campaigns/subscriptions.py``), so a publisher never imports its followers: ``progress`` knows
nothing of ``campaigns`` or ``stats``, and a reader of either finds every consequence of an event listed in
one place. ``subscribers(EventClass)`` lists them.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass
from typing import TypeVar

E = TypeVar("E", bound="Event")
Handler = Callable[[E], None]

_handlers: dict[type[Event], list[Handler]] = defaultdict(list)


@dataclass(frozen=True)
class Event:
    """Base of every event. Subclasses are frozen dataclasses named in the past tense."""


def subscribe(event_type: type[E], handler: Callable[[E], None]) -> None:
    """Run ``handler(event)`` whenever an ``event_type`` is published (subscribing twice is harmless)."""
    if not (isinstance(event_type, type) and issubclass(event_type, Event)):
        raise TypeError(f"{event_type!r} is not an Event class")
    if handler not in _handlers[event_type]:
        _handlers[event_type].append(handler)


def publish(event: Event) -> None:
    """Run the handlers subscribed to ``type(event)``, in the caller's transaction."""
    for handler in _handlers.get(type(event), ()):
        handler(event)


def subscribers(event_type: type[Event]) -> list[Handler]:
    return list(_handlers.get(event_type, ()))
