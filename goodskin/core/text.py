"""Validators for text people type."""

from __future__ import annotations

import unicodedata

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

REPLACEMENT_CHARACTER = "\ufffd"
LINE_BREAKS = frozenset("\n\r\t")  # allowed in messages; single-line inputs cannot contain them


def validate_readable_text(value: str) -> None:
    """Refuse text with bytes we could not decode or invisible control characters.

    Django decodes a form body that is not valid UTF-8 by substituting U+FFFD; storing that would
    silently corrupt a name, so the person is asked to type it again instead.
    """
    if REPLACEMENT_CHARACTER in value:
        raise ValidationError(
            _("Some characters could not be read. Please type this again."),
            code="undecodable",
        )
    if any(
        unicodedata.category(char) in {"Cc", "Cf", "Co", "Cs"} and char not in LINE_BREAKS
        for char in value
    ):
        raise ValidationError(
            _("This contains hidden control characters. Please type it again."),
            code="control_characters",
        )


def validate_single_line(value: str) -> None:
    """Names and subjects are one line: a line break there is a slip or an attempt to forge a
    mail header, and either way the person is asked to retype it."""
    validate_readable_text(value)
    if any(char in LINE_BREAKS for char in value):
        raise ValidationError(
            _("This must fit on one line. Please remove the line break."), code="line_break"
        )
