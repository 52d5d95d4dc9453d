"""A password validator for the words an attacker tries first against this clinic's accounts.

Django's CommonPasswordValidator already refuses the 20,000 passwords seen most often in public
breaches; this adds the words specific to us.
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

CLINIC_WORDS = ("goodskin", "good skin", "skinclinic", "botox", "aesthetic")


class ClinicWordsValidator:
    def validate(self, password: str, user: Any = None) -> None:
        folded = password.casefold()
        if any(word in folded for word in CLINIC_WORDS):
            raise ValidationError(
                _("Please choose a password that does not contain the clinic's name or services."),
                code="password_clinic_word",
            )

    def get_help_text(self) -> str:
        return _("Your password can't contain the clinic's name or services.")
