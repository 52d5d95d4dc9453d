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
