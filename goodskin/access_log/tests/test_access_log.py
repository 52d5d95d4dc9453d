"""Who at the clinic looked at whom: every staff read of one person's records is logged with the
task it served, the person sees the list in their access report, and an account that reads
unusually many people in an hour is reported to the privacy officer once."""

from __future__ import annotations

import pytest
from django.test import Client
from django.utils import formats, timezone, translation
from pytest_django.fixtures import Settings

from goodskin.accounts.tests.conftest import make_staff
from goodskin.audit.events import Event
from goodskin.audit.models import AuditEntry
from goodskin.communications.models import Message
from goodskin.core.smtp_sink import SmtpSink
from goodskin.rights.actions.intake import open_request
from goodskin.rights.fulfil import report_data
from goodskin.rights.models import Channel, DataRequest
from goodskin.submissions.actions import submit_consultation
from goodskin.submissions.models import ConsultationRequest

pytestmark = pytest.mark.django_db


def _request(email: str = "ana@example.com") -> DataRequest:
    return open_request(
        kind="access", email=email, state="CA", today=timezone.localdate(), channel=Channel.WEB
    ).request


def _reads() -> list[tuple[str, str, str, str, dict[str, object]]]:
    return list(
        AuditEntry.objects.filter(event=Event.PERSON_VIEWED)
        .order_by("sequence")
        .values_list("subject_id", "target_type", "target_id", "actor_kind", "data")
    )


def test_opening_a_request_in_the_console_logs_one_read_with_the_request_it_served(
    client: Client, smtp_sink: SmtpSink
) -> None:
    request = _request()
    client.force_login(make_staff())
    assert client.get(f"/console/requests/{request.reference}/").status_code == 200
    assert _reads() == [
        (
            str(request.person_id),
            "rights.datarequest",
            str(request.pk),
            "user",
            {"what": "request", "reference": request.reference.lower()},
        )
    ]
    # Acting on the page is not a second read; only showing it is.
    client.post(f"/console/requests/{request.reference}/", {"action": "extend", "reason": ""})
    assert len(_reads()) == 1


def test_opening_a_consultation_in_the_admin_is_a_read_of_that_person(
    client: Client, smtp_sink: SmtpSink
) -> None:
    submit_consultation(
        full_name="Rosa Delgado",
        email="rosa@example.com",
        phone="",
        treatment=None,
        clinic=None,
        preferred_time="morning",
        message="Melasma on my cheeks.",
        language="en",
        client_address="192.0.2.10",
        today=timezone.localdate(),
    )
    row = ConsultationRequest.objects.get()
    client.force_login(make_staff("Front desk"))
    page = client.get(f"/console/submissions/consultationrequest/{row.pk}/change/")
    assert page.status_code == 200
    assert _reads() == [
        (
            str(row.person_id),
            "submissions.consultationrequest",
            str(row.pk),
            "user",
            {"what": "submission"},
        )
    ]


def test_the_persons_access_report_lists_who_viewed_their_records_and_why(
    client: Client, smtp_sink: SmtpSink
) -> None:
    request = _request()
    staff = make_staff()
    client.force_login(staff)
    client.get(f"/console/requests/{request.reference}/")
    client.get(f"/console/people/{request.person_id}/export/")
    data = report_data(
        request.person, kind="access", reference=request.reference, today=timezone.localdate()
    )
    reads = [(read["who"], read["why"], read["reference"]) for read in data["staff_reads"]]
    assert reads == [
        ("Pat (Privacy officer)", "a copy of everything we hold about you, for a request", ""),
        ("Pat (Privacy officer)", "your privacy request", request.reference),
    ]
    assert all(read["when"] for read in data["staff_reads"])


def test_an_account_reading_more_people_than_expected_alerts_the_privacy_officer_once(
    client: Client, smtp_sink: SmtpSink, settings: Settings
) -> None:
    settings.STAFF_READS_ALERT_PER_HOUR = 2
    requests = [_request(f"person{n}@example.com") for n in range(4)]
    staff = make_staff()
    client.force_login(staff)
    for request in requests[:2]:
        client.get(f"/console/requests/{request.reference}/")
    assert not AuditEntry.objects.filter(event=Event.STAFF_READS_ALERTED).exists()
    for request in requests[2:]:
        client.get(f"/console/requests/{request.reference}/")
    alert = AuditEntry.objects.get(event=Event.STAFF_READS_ALERTED)
    assert alert.data == {"staff_user": staff.pk, "people": 3}
    [message] = Message.objects.filter(dedupe_key__startswith="access_log:alert:")
    assert message.person is not None
    assert message.person.email == "privacy.officer@goodskinclinics.com"


def test_the_access_page_shows_reads_by_person_and_by_staff_member(
    client: Client, smtp_sink: SmtpSink
) -> None:
    first, second = _request("a@example.com"), _request("b@example.com")
    officer = make_staff()
    client.force_login(officer)
    client.get(f"/console/requests/{first.reference}/")
    client.get(f"/console/requests/{second.reference}/")
    by_person = client.get(f"/console/access/?person={first.person_id}").content.decode()
    assert by_person.count("your privacy request") == 1
    assert f'href="?person={first.person_id}"' in by_person
    assert f'href="?person={second.person_id}"' not in by_person
    by_staff = client.get(f"/console/access/?staff={officer.pk}").content.decode()
    assert by_staff.count("your privacy request") == 2


def test_a_spanish_reader_sees_the_role_and_the_reason_in_spanish(
    client: Client, smtp_sink: SmtpSink
) -> None:
    request = _request()
    client.force_login(make_staff())
    client.get(f"/console/requests/{request.reference}/")
    with translation.override("es"):
        data = report_data(
            request.person, kind="access", reference=request.reference, today=timezone.localdate()
        )
    [read] = data["staff_reads"]
    assert (read["who"], read["why"], read["reference"]) == (
        "Pat (Responsable de privacidad)",
        "su solicitud de privacidad",
        request.reference,
    )
    at = timezone.localtime(AuditEntry.objects.get(event=Event.PERSON_VIEWED).occurred_at)
    with translation.override("es"):
        assert read["when_shown"] == formats.date_format(at, "DATETIME_FORMAT")
    assert " a las " in read["when_shown"]  # "1 de diciembre de 2026 a las 09:07"
