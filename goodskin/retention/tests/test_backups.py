"""Backups that keep erasures: encrypted, checked whole before a restore changes anything, and
brought forward after a restore so no one erased or expired since comes back."""

from __future__ import annotations

from datetime import timedelta
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command
from django.utils import timezone
from pytest_django.fixtures import Settings

from goodskin.accounts.models import User
from goodskin.accounts.tests.conftest import make_account
from goodskin.audit.events import Event
from goodskin.audit.models import AuditEntry
from goodskin.communications.actions.campaigns import queue_campaign_batch, schedule_campaign
from goodskin.communications.actions.choices import unsubscribe_by_link
from goodskin.communications.models import Message, Source
from goodskin.communications.tests.conftest import campaign, deliver, opted_in, person
from goodskin.communications.tokens import UnsubscribeLink
from goodskin.retention.actions import restore_from_backup, take_backup
from goodskin.retention.backups import BackupRefused, list_backups
from goodskin.retention.tests.test_retention import contact
from goodskin.submissions.models import ContactMessage
from goodskin.vault import keys
from goodskin.vault.actions import erase_person
from goodskin.vault.models import ErasureReason, Person

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture(autouse=True)
def backup_dir(settings: Settings, tmp_path: Path) -> Path:
    settings.BACKUP_DIR = str(tmp_path / "backups")
    return tmp_path / "backups"


def test_restoring_last_weeks_backup_does_not_bring_back_someone_erased_yesterday() -> None:
    user = make_account(email="rosa@example.com")
    contact("rosa@example.com", days_ago=3)
    backup = take_backup(now=timezone.now() - timedelta(days=7))
    erase_person(person=user.person, reason=ErasureReason.DELETION_REQUEST)

    restored = restore_from_backup(path=backup.path)

    assert restored.erasures_reapplied == 1
    person = Person.objects.get(pk=user.person_id)
    assert (person.email, person.erased_at is not None) == (None, True)
    assert User.objects.get(pk=user.pk).email != "rosa@example.com"
    assert ContactMessage.objects.count() == 0
    with pytest.raises(keys.KeyShredded):
        keys.data_key(person.key_id)
    assert AuditEntry.objects.filter(event=Event.BACKUP_RESTORED).count() == 1


def test_what_expired_since_the_backup_is_removed_again_after_a_restore() -> None:
    contact("old@example.com", days_ago=800)
    backup = take_backup()
    ContactMessage.objects.all().delete()  # the nightly purge ran after the backup

    restored = restore_from_backup(path=backup.path)

    assert restored.expired == 1
    assert ContactMessage.objects.count() == 0


def test_a_backup_holds_no_readable_personal_values(backup_dir: Path) -> None:
    make_account(email="rosa.unique.marker@example.com")
    backup = take_backup()
    raw = backup.path.read_bytes()
    assert b"rosa.unique.marker" not in raw
    assert b"Rosa Delgado" not in raw
    assert oct(backup.path.stat().st_mode & 0o777) == "0o600"


@pytest.mark.parametrize("damage", ["flipped byte", "truncated", "extra bytes"])
def test_a_damaged_backup_is_refused_and_nothing_changes(damage: str) -> None:
    make_account(email="rosa@example.com")
    backup = take_backup()
    data = bytearray(backup.path.read_bytes())
    if damage == "flipped byte":
        data[-40] ^= 0x01
    elif damage == "truncated":
        data = data[:-100]
    else:
        data += b"\x00\x00\x00\x05hello"
    backup.path.write_bytes(bytes(data))
    make_account(email="lena@example.com")  # a change after the backup, which must survive

    with pytest.raises(BackupRefused):
        restore_from_backup(path=backup.path)

    assert sorted(User.objects.values_list("email", flat=True)) == [
        "lena@example.com",
        "rosa@example.com",
    ]
    assert not AuditEntry.objects.filter(event=Event.BACKUP_RESTORED).exists()


def test_a_backup_from_another_installation_is_refused_with_the_reason(settings: Settings) -> None:
    original = settings.GOODSKIN_MASTER_KEY
    settings.GOODSKIN_MASTER_KEY = b"x" * 32
    foreign = take_backup()
    settings.GOODSKIN_MASTER_KEY = original

    with pytest.raises(BackupRefused, match="which is not configured here: it is from another"):
        restore_from_backup(path=foreign.path)

    settings.GOODSKIN_PREVIOUS_MASTER_KEYS = [b"x" * 32]  # after a rotation it opens again
    restore_from_backup(path=foreign.path)


def test_backups_are_listed_with_their_age_and_old_ones_pruned_by_the_backups_rule() -> None:
    now = timezone.now()
    old = take_backup(now=now - timedelta(days=40))
    assert [backup.path for backup in list_backups()] == [old.path]

    recent = take_backup(now=now)

    assert [backup.path for backup in list_backups()] == [recent.path]
    out = StringIO()
    call_command("backup", "--list", stdout=out)
    assert out.getvalue().startswith(recent.path.name)
    assert "0 days 0 hours old" in out.getvalue()


def test_the_restore_command_wants_confirmation_and_an_existing_file(tmp_path: Path) -> None:
    with pytest.raises(CommandError, match="no such backup file"):
        call_command("restore", str(tmp_path / "missing.gsbk"), "--yes")
    backup = take_backup()
    with pytest.raises(CommandError, match="restoring replaces the data database: add --yes"):
        call_command("restore", str(backup.path))
    not_a_backup = tmp_path / "notes.gsbk"
    not_a_backup.write_text("hello\n")
    with pytest.raises(
        CommandError, match="^refused, nothing changed: notes.gsbk is not a GoodSkin"
    ):
        call_command("restore", str(not_a_backup), "--yes")
    out = StringIO()
    call_command("restore", str(backup.path), "--yes", stdout=out)
    assert out.getvalue().startswith("restored the backup of ")


def test_an_unsubscribe_made_after_the_backup_survives_its_restore(smtp_sink: object) -> None:
    rosa = opted_in(person("rosa@example.com"), "offers")
    backup = take_backup()
    link = UnsubscribeLink(rosa.contact_preferences.link_id, "offers", "email", None)
    unsubscribe_by_link(link=link, source=Source.ONE_CLICK, everything=False)

    restore_from_backup(path=backup.path)  # Rosa's row says "subscribed" again…
    offer = campaign()
    schedule_campaign(campaign=offer, send_at=timezone.now())
    queue_campaign_batch(campaign_id=offer.pk)
    deliver()

    assert Message.objects.get().status == "suppressed"  # …but the keyring remembers
    assert smtp_sink.messages == []  # type: ignore[attr-defined]  # the SMTP sink
