from __future__ import annotations

from datetime import date
from typing import Any

from django import forms
from django.utils import timezone

from goodskin.core.schedule import CountedFrom, Outcome
from goodskin.core.text import validate_single_line
from goodskin.core.validation import clean_email_address
from goodskin.retention.models import HoldReason
from goodskin.vault.taxonomy import DATA_CATEGORIES


class RuleForm(forms.Form):
    period_days = forms.IntegerField(
        required=False,
        min_value=0,
        max_value=36500,
        label="Keep for (days); empty for no age limit",
    )
    counted_from = forms.ChoiceField(choices=CountedFrom.choices, label="Counted from")
    outcome = forms.ChoiceField(choices=Outcome.choices, label="Then")


class HoldForm(forms.Form):
    reason = forms.ChoiceField(
        choices=[
            ("", "Choose…"),
            *[(value, value.replace("_", " ").capitalize()) for value in HoldReason.values],
        ],
        label="Reason",
    )
    case_reference = forms.CharField(
        max_length=80,
        label="Case or matter reference",
        validators=[validate_single_line],
        help_text="A docket, invoice or ticket number. Not a person's name.",
    )
    review_on = forms.DateField(
        label="Review on",
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        input_formats=["%Y-%m-%d"],
    )
    emails = forms.CharField(
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        label="People (one email address per line)",
        help_text="Everything about them is kept. Leave empty to hold a data category instead.",
    )
    category = forms.ChoiceField(
        required=False,
        choices=[("", "—"), *sorted((key, key) for key in DATA_CATEGORIES)],
        label="Or a data category, for everyone",
    )

    def clean_review_on(self) -> date:
        value: date = self.cleaned_data["review_on"]
        if value <= timezone.localdate():
            raise forms.ValidationError("The review date must be after today.")
        return value

    def clean_emails(self) -> list[str]:
        lines = [line.strip() for line in self.cleaned_data["emails"].splitlines() if line.strip()]
        return [clean_email_address(line) for line in lines]

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        if not cleaned.get("emails") and not cleaned.get("category") and not self.errors:
            raise forms.ValidationError("Name the people, or the data category, the hold covers.")
        if cleaned.get("emails") and cleaned.get("category"):
            self.add_error("category", "Hold either named people (all their data) or a category.")
        return cleaned
