"""The privacy officer's page of staff reads: every read of one person's records, by person or by
staff member, newest first."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse

from goodskin.access_log.queries import reads_by, reads_of_id, recent_reads
from goodskin.core.console import console_page
from goodskin.core.doors import staff_door
from goodskin.core.validation import whole_number


@staff_door("audit.view_auditentry")
def reads(request: HttpRequest) -> HttpResponse:
    person = whole_number(request.GET.get("person", ""))
    staff = whole_number(request.GET.get("staff", ""))
    if person:
        rows, scope = reads_of_id(person), f"person {person}"
    elif staff:
        rows, scope = reads_by(staff), f"staff account {staff}"
    else:
        rows, scope = recent_reads(), "everyone"
    return console_page(
        request,
        "access_log/console/reads.html",
        "Staff access to records",
        reads=rows,
        scope=scope,
        person=person or "",
        staff=staff or "",
    )
