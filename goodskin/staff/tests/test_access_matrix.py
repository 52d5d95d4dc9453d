"""The authorisation matrix, generated from the URL configuration: every console URL, opened by
someone signed out, a patient, a staff member with no role and each starting role, answers as its
door declares. A new console URL without an entry in PAGES fails here (and without a door, fails
the system check)."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from django.contrib import admin
from django.contrib.auth.models import Group
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from goodskin.accounts.models import User
from goodskin.accounts.tests.signing_in import StaffClient
from goodskin.communications.actions.outbox import queue_essential_email
from goodskin.communications.models import Campaign, Message
from goodskin.communications.tests.conftest import campaign, person
from goodskin.core.doors import door_of
from goodskin.core.smtp_sink import SmtpSink
from goodskin.incidents.actions import open_incident
from goodskin.policies.actions import save_draft
from goodskin.policies.queries import latest_published
from goodskin.retention.actions import place_hold
from goodskin.rights.actions.intake import open_request
from goodskin.rights.models import Channel
from goodskin.staff.checks import console_patterns

pytestmark = pytest.mark.django_db

ROLES = (
    "Privacy officer",
    "Front desk",
    "Marketing",
    "Clinician",
    "Security",
    "Auditor",
    "Administrator",
)

# What a GET answers for someone the door lets through: most pages show (200); pages that only
# act answer 405 or 404 to a GET.
PAGES: dict[str, int] = {
    "console:login": 302,
    "console:accounts:second_factor": 302,  # no password given yet: back to the sign-in
    "console:accounts:passkey_options": 405,  # POST only
    "console:accounts:my_sign_in": 200,
    "console:vault:data_map": 200,
    "console:rights:person_export": 200,
    "console:tracking:analytics": 200,
    "console:communications:outbox": 200,
    "console:communications:release_message": 405,
    "console:communications:campaigns": 200,
    "console:communications:campaign_new": 200,
    "console:communications:campaign": 200,
    "console:communications:campaign_edit": 200,
    "console:communications:campaign_progress": 200,
    "console:communications:campaign_preview": 200,
    "console:retention:schedule": 200,
    "console:retention:dry_run": 200,
    "console:retention:rule": 405,
    "console:retention:place_hold": 405,
    "console:retention:release_hold": 405,
    "console:disclosures:list": 200,
    "console:disclosures:record": 200,
    "console:disclosures:export": 200,
    "console:rights:queue": 200,
    "console:rights:new": 200,
    "console:rights:minors": 200,
    "console:rights:request": 200,
    "console:rights:document": 404,  # this request carries no document
    "console:incidents:list": 200,
    "console:incidents:new": 200,
    "console:incidents:detail": 200,
    "console:policies:overview": 200,
    "console:policies:new": 404,  # a draft is started by POST only
    "console:policies:edit": 200,
    "console:policies:publish": 200,
    "console:access_log:reads": 200,
    "console:staff:accounts": 200,
    "console:staff:invite": 405,
    "console:staff:change": 405,
    "console:staff:decide_grant": 405,
    "console:staff:invitation": 400,  # not a link we sent
    "console:operations:jobs": 200,
    "console:compliance:overview": 200,
    "console:compliance:evidence": 400,  # no dates given: the page says which to give
}


def _things(smtp_sink: SmtpSink) -> dict[str, dict[str, Any]]:
    """One of everything a console URL names, and the arguments of each URL."""
    now = timezone.now()
    someone = person("rosa@example.com")
    offer: Campaign = campaign()
    queue_essential_email(
        person=someone,
        template="accounts/email/verify_email",
        language="en",
        context={"user": {"full_name": "Rosa"}, "link": "https://example.test/"},
    )
    message = Message.objects.get()
    hold = place_hold(
        reason="dispute",
        case_reference="D-1",
        review_on=now.date() + timedelta(days=30),
        people=[someone],
        today=now.date(),
    )
    request = open_request(
        kind="access", email="ana@example.com", state="CA", today=now.date(), channel=Channel.WEB
    ).request
    incident = open_incident(
        title="Lost laptop",
        discovered_at=now - timedelta(hours=1),
        window_start=now - timedelta(days=2),
        window_end=now - timedelta(days=1),
        tables=["submissions.ConsultationRequest"],
    )
    draft = save_draft(document="privacy", content=latest_published("privacy").content)  # type: ignore[union-attr]  # the first versions exist
    return {
        "console:rights:person_export": {"person_id": someone.pk},
        "console:communications:release_message": {"message_id": message.pk},
        "console:communications:campaign": {"campaign_id": offer.pk},
        "console:communications:campaign_edit": {"campaign_id": offer.pk},
        "console:communications:campaign_progress": {"campaign_id": offer.pk},
        "console:communications:campaign_preview": {"campaign_id": offer.pk, "language": "en"},
        "console:retention:rule": {"key": "submission"},
        "console:retention:release_hold": {"hold_id": hold.pk},
        "console:rights:request": {"reference": request.reference},
        "console:rights:document": {"reference": request.reference},
        "console:incidents:detail": {"pk": incident.pk},
        "console:policies:new": {"document": "privacy"},
        "console:policies:edit": {"pk": draft.pk},
        "console:policies:publish": {"pk": draft.pk},
        "console:staff:change": {"account_id": 1},
        "console:staff:decide_grant": {"grant_id": 1},
        "console:staff:invitation": {"token": "not-a-link-we-sent"},
    }


def _client(role: str | None, *, staff: bool) -> Client:
    client = StaffClient()
    user = User.objects.create_user(
        f"{(role or 'no-role').lower().replace(' ', '.')}.{int(staff)}@goodskinclinics.com",
        "Console-Pass-Matrix-9",
        full_name="Sam",
        is_staff=staff,
    )
    if role is not None:
        user.groups.add(Group.objects.get(name=role))
    client.force_login(user)
    return client


def test_every_console_url_answers_each_kind_of_visitor_as_its_door_declares(
    smtp_sink: SmtpSink,
) -> None:
    urls = {name: pattern for _, name, pattern in console_patterns()}
    assert set(urls) == set(PAGES), "every console URL needs its expected answer in PAGES"
    arguments = _things(smtp_sink)
    visitors = {
        "signed out": StaffClient(),
        "patient": _client(None, staff=False),
        "staff, no role": _client(None, staff=True),
        **{role: _client(role, staff=True) for role in ROLES},
    }
    users = {"staff, no role": None, **{role: role for role in ROLES}}
    answered, expected = {}, {}
    for name, pattern in sorted(urls.items()):
        door = door_of(pattern.callback)
        assert door is not None
        url = reverse(name, kwargs=arguments.get(name, {}))
        for visitor, client in visitors.items():
            answered[(name, visitor)] = client.get(url).status_code
            if door.public:
                expected[(name, visitor)] = PAGES[name]
            elif visitor in {"signed out", "patient"}:
                expected[(name, visitor)] = 302  # to the console's sign-in
            else:
                role = users[visitor]
                granted = door.see is None or (
                    role is not None
                    and Group.objects.filter(
                        name=role,
                        permissions__content_type__app_label=door.see.split(".")[0],
                        permissions__codename=door.see.split(".")[1],
                    ).exists()
                )
                expected[(name, visitor)] = PAGES[name] if granted else 403
    wrong = {key: (answered[key], want) for key, want in expected.items() if answered[key] != want}
    assert wrong == {}
    assert len(answered) == len(PAGES) * len(visitors)


def test_a_marketing_account_is_refused_the_request_queue_with_a_sentence_that_says_why() -> None:
    response = _client("Marketing", staff=True).get("/console/requests/")
    assert response.status_code == 403
    assert "Your role does not include “See privacy requests and minors cases”" in (
        response.content.decode()
    )


def test_a_role_may_open_a_page_but_not_act_through_it_without_the_second_capability() -> None:
    auditor = _client("Auditor", staff=True)
    assert auditor.get("/console/retention/").status_code == 200
    refused = auditor.post("/console/retention/rules/submission/", {"period_days": "1"})
    assert refused.status_code == 403
    assert "Change a retention rule" in refused.content.decode()


def test_the_staff_page_shows_each_account_with_its_roles() -> None:
    _client("Marketing", staff=True)
    page = _client("Administrator", staff=True).get("/console/staff/").content.decode()
    assert "marketing.1@goodskinclinics.com (number" in page
    assert 'aria-label="Take Marketing from Sam"' in page
    assert 'aria-label="Take Administrator from Sam"' in page


def test_the_console_home_lists_only_the_tools_a_role_opens() -> None:
    marketing = _client("Marketing", staff=True).get("/console/").content.decode()
    assert 'href="/console/campaigns/">Campaigns</a>' in marketing
    assert 'href="/console/analytics/">Site analytics</a>' in marketing
    assert "/console/requests/" not in marketing
    assert "/console/data-map/" not in marketing
    nobody = _client(None, staff=True).get("/console/").content.decode()
    assert "Your account holds no role yet, so there is nothing here for you to open." in nobody
    assert "/console/campaigns/" not in nobody


def test_every_admin_list_opens_exactly_for_the_roles_holding_its_view_capability() -> None:
    """The Django admin checks its own model permissions; the matrix proves the roles grant them
    as intended (front desk reads submissions, the administrator accounts and roles, no one the
    task queue)."""
    visitors = {role: _client(role, staff=True) for role in ROLES}
    visitors["staff, no role"] = _client(None, staff=True)
    answered, expected = {}, {}
    for model in admin.site._registry:  # noqa: SLF001  (every registered model)
        meta = model._meta
        url = reverse(f"admin:{meta.app_label}_{meta.model_name}_changelist")
        for visitor, client in visitors.items():
            answered[(meta.label, visitor)] = client.get(url).status_code
            may = (
                visitor != "staff, no role"
                and Group.objects.filter(
                    name=visitor,
                    permissions__content_type__app_label=meta.app_label,
                    permissions__codename__in=[
                        f"view_{meta.model_name}",
                        f"change_{meta.model_name}",
                    ],
                ).exists()
            )
            expected[(meta.label, visitor)] = 200 if may else 403
    assert answered == expected
    assert {label for (label, visitor), code in answered.items() if code == 200} == {
        "audit.AuditEntry",
        "accounts.User",
        "auth.Group",
        "submissions.ConsultationRequest",
        "submissions.ContactMessage",
        "vault.Person",
    }
