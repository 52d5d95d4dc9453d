"""How a model declares the personal data it holds. Pure data, below every app that declares it:
the vault's registry and checks read it.

Every model in the project carries a `personal_data` class attribute: either `NotPersonal(...)`
saying why it holds none, or a `PersonalData(...)` naming the field that points at the Person, each
personal field's category, purposes, legal basis and recipients, the fields that are not personal,
the retention rule, and what erasure does to the rows (delete them, or keep an anonymous shell).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum


class OnErase(StrEnum):
    DELETE = "delete"  # the rows go
    ANONYMISE = "anonymise"  # the row stays as a shell; every personal field is blanked


class DataSource(StrEnum):
    """Where a table's information comes from (the CCPA's "categories of sources")."""

    YOU = "you"  # forms, your account, your requests and choices
    YOUR_BROWSER = "your_browser"  # what your browser sends as you use the site
    OUR_RECORDS = "our_records"  # what we did: messages sent, requests answered, notices
    STAFF = "staff"  # our staff, from a letter, a call or a visit
    SOMEONE_FOR_YOU = "someone_for_you"  # an authorised agent or a parent


@dataclass(frozen=True)
class Personal:
    """One field that can hold personal data."""

    category: str
    purposes: tuple[str, ...]
    basis: str
    recipients: tuple[str, ...] = ()
    # What the field holds once the row is anonymised: a value, or a function of the row (for
    # unique columns). None suits nullable fields.
    erased_value: object = None
    # The piece of information a correction request changes here (vault/corrections.py): every
    # column naming the same item is corrected together, so no copy keeps the wrong value.
    corrects: str = ""


@dataclass(frozen=True)
class PersonalData:
    # The field holding the Person (a ForeignKey/OneToOne), "self" on Person, or None for data
    # that by design cannot be tied back to a person (keyed hashes) and expires on its own.
    subject: str | None
    retention: str
    on_erase: OnErase
    fields: dict[str, Personal]
    not_personal: tuple[str, ...] = ()
    description: str = ""
    # Non-personal fields set when a row is anonymised (e.g. an account shell is made inactive).
    also_on_erase: dict[str, object] = field(default_factory=dict)
    # Where the information comes from; the vault check requires at least one.
    sources: tuple[DataSource, ...] = ()
    # For a retention name removed by age (core/schedule.py): the date-time column its clock
    # reads, and which rows may go at all (filter arguments, e.g. only messages already sent).
    retention_clock: str | None = None
    retention_only: dict[str, object] = field(default_factory=dict)


@dataclass(frozen=True)
class NotPersonal:
    reason: str


@dataclass(frozen=True)
class ExternalDeclaration:
    """A model we do not own (Django's sessions, the task queue…), declared here on its behalf."""

    label: str
    declaration: PersonalData | NotPersonal
    notes: tuple[str, ...] = field(default_factory=tuple)


@dataclass(frozen=True)
class BrowserItem:
    """Something the site keeps in a visitor's browser: a cookie or a storage key. The policy
    names them ("only the cookies it needs to work…"); the compliance crawler fails on anything
    a page sets that is not declared here, or that is set before the consent it waits for."""

    name: str
    kind: str  # "cookie", "localStorage" or "sessionStorage"
    purpose: str  # a data use of the taxonomy (vault.taxonomy.DATA_USES)
    waits_for: str  # "": strictly necessary; else the consent it needs ("analytics")
    what: str


BROWSER_ITEMS: tuple[BrowserItem, ...] = (
    BrowserItem("sessionid", "cookie", "essential.service.authentication", "",
                "Keeps you signed in (set only when you sign in)."),
    BrowserItem("csrftoken", "cookie", "essential.service.security", "",
                "Protects the site's forms against forgery."),
    BrowserItem("django_language", "cookie", "essential.service", "",
                "Remembers the language you chose."),
    BrowserItem("gs_consent", "cookie", "essential.service", "",
                "Remembers your privacy choices and a Global Privacy Control signal."),
    BrowserItem("messages", "cookie", "essential.service", "",
                "Carries a one-time notice (such as “your choices are saved”) to the next page."),
    BrowserItem("gs_vid", "cookie", "analytics.reporting", "analytics",
                "Counts a returning browser in our own statistics, once you allow analytics."),
)  # fmt: skip
