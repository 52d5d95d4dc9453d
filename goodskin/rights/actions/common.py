"""What every request action shares: the person's emails about their request, code hashing, and
the refusal a transition raises.
"""

from __future__ import annotations

import hashlib
import hmac

from django.conf import settings

from goodskin.communications.actions.outbox import queue_essential_email
from goodskin.rights.models import (
    DataRequest,
)


def code_hash(reference: str, code: str) -> str:
    message = f"rights-code\x00{reference}\x00{code}".encode()
    return hmac.new(settings.SECRET_KEY.encode(), message, hashlib.sha256).hexdigest()


def email_person(request: DataRequest, template: str, **context: object) -> None:
    queue_essential_email(
        person=request.person,
        template=f"rights/email/{template}",
        language=request.language,
        context={"request": request, **context},
        dedupe_key=f"rights:{request.reference}:{template}"
        + (f":{context['attempt']}" if "attempt" in context else ""),
    )


class TransitionRefused(ValueError):
    """The request is not in a state that allows this step; nothing changed."""
