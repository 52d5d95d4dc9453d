"""The promise about backups: back up, erase, restore the backup — the erased person's sensitive
values in the restored data cannot be read, and the restored system erases them again."""

from __future__ import annotations

from datetime import date, timedelta
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import call_command
from django.utils import timezone

from goodskin.accounts.factors import issue_recovery_codes
from goodskin.accounts.models import User
from goodskin.accounts.tests.conftest import approved_by_a_second_person, make_account
from goodskin.accounts.tests.signing_in import give_authenticator
from goodskin.communications.actions.choices import update_preferences
from goodskin.communications.actions.notices import post_notice
from goodskin.communications.models import Source as CommunicationSource
from goodskin.consent.actions import record_choice
from goodskin.consent.choices import Choices
from goodskin.consent.models import Source
from goodskin.consent.state import PrivacyState
from goodskin.disclosures.actions import record_disclosure
from goodskin.disclosures.models import Recipient
from goodskin.incidents.models import AffectedPerson, Incident
from goodskin.policies.actions import accept
from goodskin.policies.models import PolicyVersion
from goodskin.retention.actions import RELEASE, place_hold, release_hold
from goodskin.rights.actions.corrections import apply_correction
from goodskin.rights.actions.intake import Agent, Document, open_request
from goodskin.rights.actions.minors import dismiss_minors_case, open_minors_case
from goodskin.rights.models import Channel
from goodskin.submissions.actions import submit_consultation, submit_contact_message
from goodskin.submissions.models import ConsultationRequest
from goodskin.vault import keys
from goodskin.vault.actions import erase_person, reapply_erasures
from goodskin.vault.corrections import Item
from goodskin.vault.models import ErasureReason, Person
from goodskin.vault.queries import everything_about
from goodskin.vault.registry import person_linked
from goodskin.website.models import Service

DATA_APPS = [
    "contenttypes",
    "auth",  # the roles staff hold, and the capabilities in them
    "approvals",
    "accounts",
    "vault",
    "audit",
    "core",
    "website",
    "submissions",
    "consent",
    "communications",
    "retention",
    "disclosures",
    "rights",
    "policies",
    "incidents",
    "sessions",
]


def someone_with_data_everywhere(email: str) -> User:
    """An account, a consultation request, a contact message, a consent choice, message
    preferences with an interest, a notice, a (released) legal hold, a logged subpoena and a privacy
    request: a row in every person table."""
    user = make_account(email=email)
    give_authenticator(user)  # staff tables too: a second factor and its recovery codes
    issue_recovery_codes(user=user)
    today = date(2026, 11, 29)
    submit_consultation(
        full_name="Rosa Delgado",
        email=email,
        language="en",
        today=today,
        phone="+13102061234",
        treatment=None,
        clinic=None,
        preferred_time="any",
        message="rosacea on my cheeks",
        client_address="192.0.2.1",
    )
    submit_contact_message(
        full_name="Rosa Delgado",
        email=email,
        language="en",
        today=today,
        phone="",
        topic="question",
        message="Do you treat melasma?",
        client_address="192.0.2.1",
    )
    record_choice(
        state=PrivacyState(gpc=False, dnt=False, browser_id=None, choices=None, gpc_recorded=False),
        choices=Choices.accept_all(),
        source=Source.BANNER,
        language="en",
        person=user.person,
    )
    update_preferences(
        person=user.person,
        choices={("offers", "email"): True},
        source=CommunicationSource.ACCOUNT,
        interest_ids=[
            Service.objects.get_or_create(
                slug="hydrafacial",
                defaults={"category": "facials", "name_en": "Hydrafacial", "duration_minutes": 45},
            )[0].pk
        ],
    )
    post_notice(person=user.person, kind="account", title="Welcome", body="Your account is open.")
    hold = place_hold(
        reason="dispute",
        case_reference="GS-2026-014",
        review_on=today + timedelta(days=90),
        people=[user.person],
        today=today,
    )
    release_hold(hold=hold, approval=approved_by_a_second_person(RELEASE, hold))
    officer = User.objects.create_user(
        f"officer.{email}", "Officer-Console-Pass-9", full_name="Pat Officer", is_staff=True
    )
    record_disclosure(
        kind="legal_process",
        recipient=Recipient.objects.get(slug="authorities"),
        reference="LASC 26STCV01234",
        categories=["user.name"],
        people=[user.person],
        approved_by=officer,
    )
    dismiss_minors_case(
        case=open_minors_case(person=user.person, source="staff"), note="Adult: ID seen"
    )
    corrected = open_request(
        kind="correct",
        email=email,
        state="CA",
        today=today,
        channel=Channel.ACCOUNT,
        signed_in_person=user.person,
        details="My name is misspelt",
        correct_items=["name"],
    )
    apply_correction(
        request=corrected.request, changes={Item.NAME: "Rosa M. Delgado"}, note="", today=today
    )
    open_request(
        kind="know",
        email=email,
        state="CO",
        today=today,
        channel=Channel.MAIL,
        agent=Agent(name="Privacy Helpers LLC", email="agent@helpers.example"),
        document=Document(b"%PDF-1.7 signed by " + email.encode(), "application/pdf"),
    )
    _told_of_a_policy_change_and_in_an_incident(user.person)
    return user


def _told_of_a_policy_change_and_in_an_incident(person: Person) -> None:
    """A notice of a material policy change (accepted) and a row in an incident's affected list."""

    changed = PolicyVersion.objects.filter(document="terms", number=2).first()
    if changed is None:
        first = PolicyVersion.objects.get(document="terms", number=1)
        changed = PolicyVersion.objects.create(
            document="terms",
            number=2,
            status="published",
            content=first.content,
            summary={"en": "Changed.", "es": "Cambiado."},
            material=True,
            reason="Test",
            published_at=timezone.now(),
            announced_at=timezone.now(),
        )
    accept(person=person, version=changed)
    now = timezone.now()
    incident, _ = Incident.objects.get_or_create(
        title="Test incident",
        defaults={
            "discovered_at": now,
            "window_start": now - timedelta(days=1),
            "window_end": now,
        },
    )
    AffectedPerson.objects.create(incident=incident, person=person, state="CA")


def back_up(path: Path) -> None:
    """A full logical backup of the data database (the keyring is never in it)."""
    call_command("dumpdata", *DATA_APPS, database="default", output=str(path), verbosity=0)


def restore(path: Path) -> None:
    call_command(
        "flush", database="default", interactive=False, verbosity=0, inhibit_post_migrate=True
    )
    call_command("loaddata", str(path), database="default", verbosity=0, stdout=StringIO())


@pytest.mark.django_db(transaction=True)
def test_erased_person_stays_erased_in_a_restored_backup(tmp_path: Path) -> None:
    rosa = someone_with_data_everywhere("rosa@example.com")
    ana = someone_with_data_everywhere("ana@example.com")
    rosa_key = rosa.person.key_id
    before = {table.model: table.rows for table in everything_about(rosa.person)}
    for model, _ in person_linked():
        assert before[model._meta.label], f"the test gives Rosa no row in {model._meta.label}"
    assert before["submissions.ConsultationRequest"][0]["message_sealed"] == "rosacea on my cheeks"
    backup = tmp_path / "before-erasure.json"
    back_up(backup)
    assert "1990-04-25" not in backup.read_text()  # sealed values are ciphertext in the backup
    assert "rosacea" not in backup.read_text()
    assert "rosa@example.com" in backup.read_text()  # (plain contact details are not)

    erase_person(person=rosa.person, reason=ErasureReason.DELETION_REQUEST)
    restore(backup)

    # The restored rows are back, but Rosa's sealed values can never be opened again…
    returned = User.objects.get(pk=rosa.pk)
    assert returned.date_of_birth_sealed is not None
    with pytest.raises(keys.KeyShredded):
        _ = returned.date_of_birth
    message = ConsultationRequest.objects.get(person=rosa.person_id)
    with pytest.raises(keys.KeyShredded):
        _ = message.message
    # …while everyone else's restore perfectly.
    assert User.objects.get(pk=ana.pk).date_of_birth == date(1990, 4, 25)
    assert ConsultationRequest.objects.get(person=ana.person_id).message == "rosacea on my cheeks"

    # The journal (kept with the keys, outside the backup) tells the restored system who was
    # erased, and re-applying it scrubs the rows that came back.
    out = StringIO()
    call_command("reapply_erasures", stdout=out)
    assert out.getvalue() == "re-erased 1 person\n"
    shell = User.objects.get(pk=rosa.pk)
    assert (shell.full_name, shell.email, shell.date_of_birth_sealed) == (
        "",
        f"closed-{rosa.pk}@closed.invalid",
        None,
    )
    person = Person.objects.get(key_id=rosa_key)
    assert (person.email, person.erased_at is not None) == (None, True)
    # Nothing readable is left about Rosa in any table of the data map.
    for table in everything_about(person):
        for row in table.rows:
            values = {name: value for name, value in row.items() if name != "id"}
            assert "rosa" not in str(values).lower(), (table.model, row)
            assert "1990-04-25" not in str(values), (table.model, row)
    for model, declaration in person_linked():
        for name in declaration.fields:
            for value in model._default_manager.filter(
                **{declaration.subject or "": person.pk}
            ).values_list(name, flat=True):
                assert value in (None, "", "!", "en") or str(value).startswith("closed-"), (
                    model,
                    name,
                    value,
                )
    assert reapply_erasures() == 0
    again = StringIO()
    call_command("reapply_erasures", stdout=again)
    assert again.getvalue() == "nothing to do: every erasure is in force\n"
