from __future__ import annotations

from datetime import date
from typing import Any

from django import forms

from goodskin.core.text import validate_single_line
from goodskin.core.validation import clean_email_address
from goodskin.disclosures.deid import DEFAULT_K
from goodskin.disclosures.exports import DATASETS
from goodskin.disclosures.models import DisclosureKind, Recipient
from goodskin.vault.taxonomy import DATA_CATEGORIES

LOGGABLE = [
    (kind.value, kind.label)
    for kind in DisclosureKind
    if kind not in {DisclosureKind.BUSINESS_TRANSFER, DisclosureKind.DEIDENTIFIED_EXPORT}
]


class DisclosureForm(forms.Form):
    kind = forms.ChoiceField(choices=LOGGABLE, label="What it was")
    recipient = forms.ModelChoiceField(queryset=Recipient.objects.filter(active=True), label="To")
    reference = forms.CharField(
        max_length=120,
        validators=[validate_single_line],
        label="Reference (docket, order, case or ticket number)",
    )
    categories = forms.MultipleChoiceField(
        choices=sorted((key, key) for key in DATA_CATEGORIES),
        label="Information released",
        widget=forms.SelectMultiple(attrs={"size": 8}),
    )
    emails = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 3}), label="About (one email address per line)"
    )
    person_may_be_told = forms.BooleanField(
        required=False, initial=True, label="The person may be told (no non-disclosure order)"
    )
    silent_until = forms.DateField(
        required=False,
        label="If not: until",
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        input_formats=["%Y-%m-%d"],
    )

    def clean_emails(self) -> list[str]:
        lines = [line.strip() for line in self.cleaned_data["emails"].splitlines() if line.strip()]
        return [clean_email_address(line) for line in lines]

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        silent: date | None = cleaned.get("silent_until")
        if not cleaned.get("person_may_be_told") and silent is None:
            self.add_error("silent_until", "Give the date the order lets us tell the person.")
        return cleaned


class ExportForm(forms.Form):
    dataset = forms.ChoiceField(
        choices=[(key, dataset.label) for key, dataset in DATASETS.items()], label="Dataset"
    )
    columns = forms.CharField(
        label="Fields, comma-separated",
        help_text="Consultation requests: month, clinic, treatment, preferred_time, language. "
        "Accounts: age_band, language, joined_month.",
    )
    recipient = forms.ModelChoiceField(queryset=Recipient.objects.filter(active=True), label="For")
    k = forms.IntegerField(min_value=2, max_value=1000, initial=DEFAULT_K, label="k")

    def clean_columns(self) -> list[str]:
        return [name.strip() for name in self.cleaned_data["columns"].split(",") if name.strip()]
