from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from goodskin.core.text import validate_readable_text, validate_single_line
from goodskin.core.validation import clean_email_address, clean_phone_number
from goodskin.submissions.models import PreferredTime, Topic
from goodskin.website.models import Clinic, Service

MESSAGE_LIMIT = 2000


class LocalizedChoice(forms.ModelChoiceField):  # type: ignore[type-arg]  # stubs make it generic; runtime does not
    def label_from_instance(self, obj: Any) -> str:
        return str(obj.name)


class SubmissionForm(forms.Form):
    """Fields every form shares, and a honeypot: a field people never see or fill in."""

    full_name = forms.CharField(
        label=_("Full name"),
        max_length=150,
        validators=[validate_single_line],
        widget=forms.TextInput(attrs={"autocomplete": "name"}),
    )
    email = forms.CharField(
        label=_("Email"), max_length=254, widget=forms.EmailInput(attrs={"autocomplete": "email"})
    )
    website = forms.CharField(
        label=_("Leave this field empty"),
        required=False,
        widget=forms.TextInput(attrs={"autocomplete": "off", "tabindex": "-1"}),
    )

    def clean_email(self) -> str:
        return clean_email_address(self.cleaned_data["email"])

    def clean_phone(self) -> str:
        value: str = self.cleaned_data.get("phone", "")
        return clean_phone_number(value) if value else ""

    def is_from_a_bot(self) -> bool:
        return bool(self.data.get("website"))

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        cleaned.pop("website", None)  # the honeypot is not part of what the sender told us
        return cleaned


class ConsultationForm(SubmissionForm):
    phone = forms.CharField(
        label=_("Phone"),
        max_length=30,
        widget=forms.TextInput(attrs={"autocomplete": "tel", "type": "tel"}),
    )
    treatment = LocalizedChoice(
        label=_("Treatment you're interested in"),
        queryset=Service.objects.all(),
        required=False,
        empty_label=_("Not sure yet"),
    )
    clinic = LocalizedChoice(
        label=_("Preferred clinic"),
        queryset=Clinic.objects.all(),
        required=False,
        empty_label=_("Either clinic"),
    )
    preferred_time = forms.ChoiceField(
        label=_("Best time for the visit"), choices=PreferredTime.choices, initial=PreferredTime.ANY
    )
    message = forms.CharField(
        label=_("Anything we should know? (optional)"),
        required=False,
        max_length=MESSAGE_LIMIT,
        validators=[validate_readable_text],
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("Please don't include Social Security, card or bank numbers."),
    )

    field_order = [
        "full_name",
        "email",
        "phone",
        "treatment",
        "clinic",
        "preferred_time",
        "message",
        "website",
    ]


class ContactForm(SubmissionForm):
    phone = forms.CharField(
        label=_("Phone (optional)"),
        required=False,
        max_length=30,
        widget=forms.TextInput(attrs={"autocomplete": "tel", "type": "tel"}),
    )
    topic = forms.ChoiceField(label=_("What is it about?"), choices=Topic.choices)
    message = forms.CharField(
        label=_("Your message"),
        max_length=MESSAGE_LIMIT,
        validators=[validate_readable_text],
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text=_("Please don't include Social Security, card or bank numbers."),
    )

    field_order = ["full_name", "email", "phone", "topic", "message", "website"]
