"""The retention schedule's names, in one table: for each name a model's declaration may carry,
what the public pages say, where the information lives, the clinic's starting rule, and how its
rows go once the rule says so. Pure data, below every app.

The starting rule seeds the `RetentionRule` row the privacy officer then edits; the law's floors
under the rules are in jurisdictions/retention_floors.py; the tables each rule purges, and the
column its clock reads, are declared beside each model (`PersonalData.retention_clock`). The
retention app's system checks tie the four together.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta
from enum import StrEnum

from django.db import models
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _


class CountedFrom(models.TextChoices):
    COLLECTION = "collection", "When it was collected"
    LAST_ACTIVITY = "last_activity", "The person's last contact"
    ACCOUNT_CLOSURE = "account_closure", "When the account is closed"
    EXPIRY = "expiry", "When it expires"
    DISPUTE_END = "dispute_end", "When a dispute ends"


class Outcome(models.TextChoices):
    DELETE = "delete", "Delete"
    ANONYMISE = "anonymise", "Anonymise"
    AGGREGATE = "aggregate", "Keep only totals"


class Removal(StrEnum):
    """How the rows of a retention name go."""

    BY_AGE = "by_age"  # each declaring table's rows, once its clock column is older than the rule
    PEOPLE = "people"  # a person with nothing else kept is erased (vault.Person)
    BACKUP_FILES = "backup_files"  # encrypted backup files, by their age
    AT_CLOSURE = "at_closure"  # at once, when the account is closed
    WITH_THE_PERSON = "with_the_person"  # no clock of its own: erased when the person is


@dataclass(frozen=True)
class RetentionName:
    key: str
    keeps: Promise  # how long, in the public pages' words, where the row has no age limit
    place: Promise | None  # where it is kept; None: not a table of the data map (backups)
    period_days: int | None  # the starting rule; None: no age limit
    counted_from: CountedFrom
    outcome: Outcome
    removal: Removal
    grace: timedelta = timedelta()  # added to the period before a row counts as expired


SCHEDULE: tuple[RetentionName, ...] = (
    RetentionName(
        "account",
        _("while your account is open; erased at once when you close it"),
        _("In your account"),
        0,
        CountedFrom.ACCOUNT_CLOSURE,
        Outcome.ANONYMISE,
        Removal.AT_CLOSURE,
    ),
    RetentionName(
        "person",
        _("while we hold any other information about you; erased on request"),
        _("In our record of who you are"),
        30,
        CountedFrom.LAST_ACTIVITY,
        Outcome.ANONYMISE,
        Removal.PEOPLE,
    ),
    RetentionName(
        "submission",
        _("up to two years after your last contact with us, unless you ask us to erase it sooner"),
        _("In the forms you send us"),
        730,
        CountedFrom.LAST_ACTIVITY,
        Outcome.DELETE,
        Removal.BY_AGE,
    ),
    RetentionName(
        "session",
        _("until you sign out, or after 30 minutes without activity"),
        _("In your signed-in session"),
        0,
        CountedFrom.EXPIRY,
        Outcome.DELETE,
        Removal.BY_AGE,
    ),
    RetentionName(
        "consent",
        _("three years after your choice, as proof of what you chose"),
        _("In our record of your cookie choices"),
        1095,
        CountedFrom.COLLECTION,
        Outcome.DELETE,
        Removal.BY_AGE,
    ),
    RetentionName(
        "analytics-events",
        _("13 months, then only totals that cannot identify anyone"),
        _("In our visit statistics"),
        395,
        CountedFrom.COLLECTION,
        Outcome.AGGREGATE,
        Removal.BY_AGE,
    ),
    RetentionName(
        "rate-limit-window",
        _("up to one hour"),
        _("In our protection against abuse"),
        0,
        CountedFrom.EXPIRY,
        Outcome.DELETE,
        Removal.BY_AGE,
        # The longest limit window is an hour: a counter an hour past its start counts nothing.
        grace=timedelta(hours=1),
    ),
    RetentionName(
        "outbox",
        _("the words of a message until it is sent; the record that we sent it for two years"),
        _("In our record of messages we send"),
        730,
        CountedFrom.COLLECTION,
        Outcome.DELETE,
        Removal.BY_AGE,
    ),
    RetentionName(
        "preferences",
        _("while we hold any other information about you; erased with it"),
        _("In your message preferences"),
        None,
        CountedFrom.LAST_ACTIVITY,
        Outcome.DELETE,
        Removal.WITH_THE_PERSON,
    ),
    RetentionName(
        "suppression",
        _(
            "for as long as we send marketing, as a fingerprint that cannot be turned back into "
            "your address"
        ),
        _("In our do-not-contact list"),
        None,
        CountedFrom.COLLECTION,
        Outcome.DELETE,
        # Kept with no end date (the law's floor); a fingerprint names no one, so no person
        # erasure touches it either.
        Removal.WITH_THE_PERSON,
    ),
    RetentionName(
        "notices",
        _("two years after we post them, or until you close your account"),
        _("In the notices on your account"),
        730,
        CountedFrom.COLLECTION,
        Outcome.DELETE,
        Removal.BY_AGE,
    ),
    RetentionName(
        "hold",
        _("while a legal hold lasts; afterwards it goes with the rest of your information"),
        _("Under a legal hold"),
        None,
        CountedFrom.DISPUTE_END,
        Outcome.DELETE,
        Removal.WITH_THE_PERSON,
    ),
    RetentionName(
        "backups",
        _("35 days, then the backup file is deleted"),
        None,
        35,
        CountedFrom.COLLECTION,
        Outcome.DELETE,
        Removal.BACKUP_FILES,
    ),
    RetentionName(
        "disclosure-log",
        _(
            "as long as we hold any other information about you; the record that a disclosure "
            "happened is kept without your name"
        ),
        _("In our log of disclosures"),
        None,
        CountedFrom.COLLECTION,
        Outcome.DELETE,
        Removal.WITH_THE_PERSON,
    ),
    RetentionName(
        "rights-requests",
        _(
            "at least 24 months after we answer, as the record of your request the law asks us "
            "to keep"
        ),
        _("In our record of your privacy requests"),
        None,
        CountedFrom.COLLECTION,
        Outcome.ANONYMISE,
        Removal.WITH_THE_PERSON,
    ),
    RetentionName(
        "policy-notices",
        _(
            "while we hold any other information about you, as the record of which version of "
            "our policies applied to you and when"
        ),
        _("In our record of policy changes we told you about"),
        None,
        CountedFrom.LAST_ACTIVITY,
        Outcome.DELETE,
        Removal.WITH_THE_PERSON,
    ),
    RetentionName(
        "incident-records",
        _(
            "at least six years after the incident, as the record HIPAA asks us to keep of a "
            "breach and of whom we told"
        ),
        _("In our record of a security incident"),
        None,
        CountedFrom.COLLECTION,
        Outcome.ANONYMISE,
        Removal.WITH_THE_PERSON,
    ),
)

BY_KEY: dict[str, RetentionName] = {name.key: name for name in SCHEDULE}
