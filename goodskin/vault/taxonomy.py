"""The vocabulary of the data map: Fides (fideslang) data categories, data uses and legal bases.

Keys are fideslang's, so the map exports to Fides and reads familiar to privacy engineers; labels
are ours, in plain words, and are what the public privacy pages show. This module is data only.
"""

from __future__ import annotations

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

DATA_CATEGORIES: dict[str, Promise] = {
    "user.name": _("your name"),
    "user.name.first": _("your first name"),
    "user.name.last": _("your last name"),
    "user.contact.email": _("your email address"),
    "user.contact.phone_number": _("your phone number"),
    "user.contact.address": _("your mailing address"),
    "user.demographic.date_of_birth": _("your date of birth"),
    "user.demographic.age_range": _("your age range"),
    "user.demographic.gender": _("your gender"),
    "user.government_id": _("government identifiers, such as a Social Security number"),
    "user.government_id.national_identification_number": _("your Social Security number"),
    "user.financial": _("financial information"),
    "user.financial.bank_account": _("bank account details"),
    "user.financial.credit_card": _("payment card details"),
    "user.health_and_medical": _("health details you choose to tell us"),
    "user.content": _("messages and notices we send you"),
    "user.content.private": _("messages you send us"),
    "user.account": _("your account"),
    "user.account.settings": _(
        "your settings: your language, your clinic and the treatments you would like to hear about"
    ),
    "user.privacy_preferences": _("what you want to hear from us, on which channel"),
    "user.authorization.credentials": _("your password, stored only as a one-way hash"),
    "user.device": _("your device type, browser, screen size and language"),
    "user.device.ip_address": _("your device's IP address, cut short before we store it"),
    "user.device.cookie_id": _("cookie identifiers"),
    "user.behavior": _("whether you have read the notices on your account"),
    "user.behavior.browsing_history": _("pages you visit on this site"),
    "user.unique_id": _("identifiers we assign to you"),
    "user.unique_id.pseudonymous": _("pseudonymous identifiers"),
    "user.location.imprecise": _("the state you live in, which decides the law that applies"),
    "system.operations": _("system records that do not identify you"),
}

DATA_USES: dict[str, Promise] = {
    "essential.service": _("to provide the services you ask for"),
    "essential.service.authentication": _("to sign you in and keep your account secure"),
    "essential.service.notifications": _("to send you messages about your account and requests"),
    "essential.service.security": _("to protect the site and your account"),
    "essential.service.operations": _("to run the site"),
    "essential.fraud_detection": _("to detect and prevent fraud and abuse"),
    "essential.legal_obligation": _("to meet our legal obligations"),
    "marketing.communications.email": _("to send you offers by email, if you agree"),
    "marketing.communications.sms": _("to send you offers by text message, if you agree"),
    "analytics.reporting": _("to understand how the site is used, in aggregate"),
}

# Where a table's information comes from (core.datamap.DataSource), in the public pages' words.
SOURCES: dict[str, Promise] = {
    "you": _("you, through our forms, your account and your requests"),
    "your_browser": _("your browser, as you use this site"),
    "our_records": _("our own records of what we sent you and did for you"),
    "staff": _("our staff, from your letters, calls and visits"),
    "someone_for_you": _("someone acting for you: an authorised agent or a parent"),
}

# How long each retention rule keeps data, in the words the public pages use. Rules become
# editable data with the retention work; until then their names are checked against this list.
RETENTION_RULES: dict[str, Promise] = {
    "account": _("while your account is open; erased at once when you close it"),
    "person": _("while we hold any other information about you; erased on request"),
    "submission": _(
        "up to two years after your last contact with us, unless you ask us to erase it sooner"
    ),
    "session": _("until you sign out, or after 30 minutes without activity"),
    "consent": _("three years after your choice, as proof of what you chose"),
    "analytics-events": _("13 months, then only totals that cannot identify anyone"),
    "rate-limit-window": _("up to one hour"),
    "outbox": _(
        "the words of a message until it is sent; the record that we sent it for two years"
    ),
    "preferences": _("while we hold any other information about you; erased with it"),
    "suppression": _(
        "for as long as we send marketing, as a fingerprint that cannot be turned back into "
        "your address"
    ),
    "notices": _("two years after we post them, or until you close your account"),
    "disclosure-log": _(
        "as long as we hold any other information about you; the record that a disclosure "
        "happened is kept without your name"
    ),
    "rights-requests": _(
        "at least 24 months after we answer, as the record of your request the law asks us to keep"
    ),
    "hold": _("while a legal hold lasts; afterwards it goes with the rest of your information"),
    "incident-records": _(
        "at least six years after the incident, as the record HIPAA asks us to keep of a breach "
        "and of whom we told"
    ),
    "policy-notices": _(
        "while we hold any other information about you, as the record of which version of our "
        "policies applied to you and when"
    ),
}

# Where each rule's information lives, so "how long" is answered once per place.
RETENTION_PLACES: dict[str, Promise] = {
    "account": _("In your account"),
    "person": _("In our record of who you are"),
    "submission": _("In the forms you send us"),
    "session": _("In your signed-in session"),
    "consent": _("In our record of your cookie choices"),
    "analytics-events": _("In our visit statistics"),
    "rate-limit-window": _("In our protection against abuse"),
    "outbox": _("In our record of messages we send"),
    "preferences": _("In your message preferences"),
    "suppression": _("In our do-not-contact list"),
    "notices": _("In the notices on your account"),
    "disclosure-log": _("In our log of disclosures"),
    "rights-requests": _("In our record of your privacy requests"),
    "hold": _("Under a legal hold"),
    "incident-records": _("In our record of a security incident"),
    "policy-notices": _("In our record of policy changes we told you about"),
}

# fideslang's legal_basis_for_processing values.
LEGAL_BASES = (
    "Consent",
    "Contract",
    "Legal obligations",
    "Vital interests",
    "Public interest",
    "Legitimate interests",
)

SENSITIVE_CATEGORIES = (
    "user.government_id",
    "user.financial",
    "user.health_and_medical",
    "user.demographic.date_of_birth",
    "user.content.private",
)


def is_sensitive(category: str) -> bool:
    """True for categories that must be sealed under the person's key (DESIGN invariant 3)."""
    return any(category == root or category.startswith(root + ".") for root in SENSITIVE_CATEGORIES)
