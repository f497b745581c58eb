"""What happens to certificates, announced by ``services`` (followed by ``learning.xapi``: see
``learning.core.events``)."""

from dataclasses import dataclass

from learning.core.events import Event

from .models import Certificate


@dataclass(frozen=True)
class CertificateIssued(Event):
    certificate: Certificate
