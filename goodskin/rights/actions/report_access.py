"""The access report's link: a signed 7-day token, opened by the signed-in person or after a
fresh emailed code (ADR 0032), with each opening audited.
"""

from __future__ import annotations

import hmac
from datetime import timedelta

from django.conf import settings
from django.core import signing
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from goodskin.audit.actions import record
from goodskin.audit.events import Event
from goodskin.core import throttle
from goodskin.rights.actions.common import code_hash, email_person
from goodskin.rights.actions.verification import CodeRefused, count_wrong_try, fresh_code
from goodskin.rights.models import (
    DataRequest,
)

REPORT_LINK_DAYS = 7


_REPORT_SALT = "goodskin.rights.report"


def report_link(request: DataRequest) -> str:
    token = signing.TimestampSigner(salt=_REPORT_SALT).sign(request.reference)
    return settings.SITE_URL + reverse("rights:report", args=[token])


def read_report_token(token: str) -> str:
    """The request reference in a report link; BadSignature when forged or expired."""

    value: str = signing.TimestampSigner(salt=_REPORT_SALT).unsign(
        token, max_age=timedelta(days=REPORT_LINK_DAYS)
    )
    return value


# A report link alone does not open the report: whoever downloads it signs in to the person's
# account or enters a fresh code sent to the person's address, so a forwarded or leaked link,
# or an old email read by someone else, is not enough.
REPORT_CODE_LIFETIME = timedelta(minutes=30)


REPORT_CODES = throttle.Limit("rights:report-code", 3, timedelta(hours=1))


_REPORT_CODE_SALT = ":report"


def _report_code_hash(reference: str, code: str) -> str:
    return code_hash(reference + _REPORT_CODE_SALT, code)


@transaction.atomic
def send_report_code(*, request: DataRequest) -> bool:
    """Email a fresh code for downloading the report; False when three were sent this hour."""
    request = DataRequest.objects.select_for_update().get(pk=request.pk)
    now = timezone.now()
    if not throttle.attempt((REPORT_CODES, request.reference), now=now):
        return False
    code, sent_at = fresh_code(request, salt=_REPORT_CODE_SALT)
    record(Event.REQUEST_CODE_SENT, subject=request.person, target=request, data={"step": "report"})
    email_person(request, "report_code", code=code, attempt=sent_at.isoformat())
    return True


def confirm_report_code(*, request: DataRequest, code: str) -> None:
    """Check a download code; five wrong tries lock it for an hour. Raises CodeRefused."""
    refusal: CodeRefused | None = None
    with transaction.atomic():
        request = DataRequest.objects.select_for_update().get(pk=request.pk)
        now = timezone.now()
        if request.locked_until and request.locked_until > now:
            refusal = CodeRefused(_("Too many wrong codes. Try again in an hour."))
        elif (
            not request.code_hash
            or request.code_sent_at is None
            or request.code_sent_at + REPORT_CODE_LIFETIME < now
        ):
            refusal = CodeRefused(_("This code has expired. Ask for a new one."))
        elif not hmac.compare_digest(
            request.code_hash, _report_code_hash(request.reference, code.strip())
        ):
            count_wrong_try(request, now=now, step="report")
            refusal = CodeRefused(_("That code does not match. Check the latest email from us."))
        else:
            request.code_hash = ""  # used once
            request.save(update_fields=["code_hash"])
    if refusal is not None:
        raise refusal


@transaction.atomic
def record_document_opened(*, request: DataRequest) -> None:
    record(Event.REQUEST_DOCUMENT_OPENED, subject=request.person, target=request)


@transaction.atomic
def record_report_download(*, request: DataRequest) -> None:
    record(Event.REQUEST_REPORT_DOWNLOADED, subject=request.person, target=request)
