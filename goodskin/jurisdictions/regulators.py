"""The regulators of the jurisdiction table, in the reader's language. The table keeps the English
names counsel reviews; this is how the pages and emails say them. Every row's regulator must be
here (a test checks), so a new row is never shown half translated."""

from __future__ import annotations

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

REGULATORS: dict[str, Promise] = {
    "the Alabama Attorney General": _("the Alabama Attorney General"),
    "the California Privacy Protection Agency or the California Attorney General": _(
        "the California Privacy Protection Agency or the California Attorney General"
    ),
    "the Colorado Attorney General": _("the Colorado Attorney General"),
    "the Connecticut Attorney General": _("the Connecticut Attorney General"),
    "the Delaware Department of Justice": _("the Delaware Department of Justice"),
    "the Federal Trade Commission or your state Attorney General": _(
        "the Federal Trade Commission or your state Attorney General"
    ),
    "the Indiana Attorney General": _("the Indiana Attorney General"),
    "the Iowa Attorney General": _("the Iowa Attorney General"),
    "the Kentucky Attorney General": _("the Kentucky Attorney General"),
    "the Louisiana Attorney General": _("the Louisiana Attorney General"),
    "the Maryland Attorney General": _("the Maryland Attorney General"),
    "the Minnesota Attorney General": _("the Minnesota Attorney General"),
    "the Montana Attorney General": _("the Montana Attorney General"),
    "the Nebraska Attorney General": _("the Nebraska Attorney General"),
    "the Nevada Attorney General": _("the Nevada Attorney General"),
    "the New Hampshire Attorney General": _("the New Hampshire Attorney General"),
    "the New Jersey Division of Consumer Affairs": _("the New Jersey Division of Consumer Affairs"),
    "the Oklahoma Attorney General": _("the Oklahoma Attorney General"),
    "the Oregon Department of Justice": _("the Oregon Department of Justice"),
    "the Rhode Island Attorney General": _("the Rhode Island Attorney General"),
    "the Tennessee Attorney General": _("the Tennessee Attorney General"),
    "the Texas Attorney General": _("the Texas Attorney General"),
    "the Utah Division of Consumer Protection": _("the Utah Division of Consumer Protection"),
    "the Vermont Attorney General": _("the Vermont Attorney General"),
    "the Virginia Attorney General": _("the Virginia Attorney General"),
}


def regulator_name(english: str) -> str:
    """The regulator's name in the active language."""
    return str(REGULATORS.get(english, english))
