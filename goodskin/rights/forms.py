from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from goodskin.core.text import validate_readable_text
from goodskin.core.validation import clean_email_address
from goodskin.policies.jurisdictions import STATE_NAMES, US_STATES
from goodskin.rights.models import RequestKind

STATE_CHOICES = [
    ("", _("Choose…")),
    *sorted(((code, STATE_NAMES[code]) for code in US_STATES), key=lambda choice: choice[1]),
    ("US", _("Elsewhere, or I would rather not say")),
]


class RequestForm(forms.Form):
    kind = forms.ChoiceField(
        choices=RequestKind.choices, widget=forms.RadioSelect, label=_("What would you like?")
    )
    state = forms.ChoiceField(
        choices=STATE_CHOICES,
        label=_("The state you live in"),
        help_text=_("Your state's law sets our deadlines; we ask rather than guess."),
    )
    email = forms.CharField(
        label=_("Your email address"),
        max_length=254,
        widget=forms.EmailInput(attrs={"autocomplete": "email"}),
        help_text=_("We send the confirmation and a code to check it is you here."),
    )
    details = forms.CharField(
        required=False,
        max_length=2000,
        validators=[validate_readable_text],
        widget=forms.Textarea(attrs={"rows": 4}),
        label=_("Anything we should know (for a correction: what is wrong and what it should say)"),
    )

    def clean_email(self) -> str:
        return clean_email_address(self.cleaned_data["email"])


class CodeForm(forms.Form):
    reference = forms.CharField(max_length=12, label=_("Request reference"))
    code = forms.CharField(
        max_length=6,
        min_length=6,
        label=_("The 6-digit code from our email"),
        widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "one-time-code"}),
    )


class DetailsForm(forms.Form):
    full_name = forms.CharField(
        required=False,
        max_length=150,
        label=_("Your full name"),
        widget=forms.TextInput(attrs={"autocomplete": "name"}),
    )
    date_of_birth = forms.DateField(
        required=False,
        label=_("Your date of birth"),
        widget=forms.DateInput(attrs={"type": "date", "autocomplete": "bday"}, format="%Y-%m-%d"),
        input_formats=["%Y-%m-%d"],
    )
    phone = forms.CharField(
        required=False,
        max_length=20,
        label=_("Your phone number"),
        widget=forms.TextInput(attrs={"type": "tel", "autocomplete": "tel"}),
    )

    def clean(self) -> dict[str, object]:
        cleaned = super().clean() or {}
        if sum(bool(cleaned.get(name)) for name in ("full_name", "date_of_birth", "phone")) < 2:
            raise forms.ValidationError(_("Give at least two of the three details."))
        return cleaned


class StaffEntryForm(RequestForm):
    """A request that arrived by letter, phone or email, typed in by staff."""

    channel = forms.ChoiceField(
        choices=[("email", "Email to info@"), ("mail", "Letter"), ("phone", "Phone")],
        label="How it reached us",
    )
    received_on = forms.DateField(
        label="Received on",
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        input_formats=["%Y-%m-%d"],
        help_text="The clock runs from the day it reached us, not the day it is typed in.",
    )


class DecisionForm(forms.Form):
    action = forms.ChoiceField(
        choices=[("fulfil", "Fulfil"), ("extend", "Extend once"), ("deny", "Deny")]
    )
    reason = forms.CharField(
        required=False,
        max_length=500,
        widget=forms.Textarea(attrs={"rows": 3}),
        label="What the person will read: the reason (extension, denial) or what was done "
        "(correction, appeal); no personal details",
    )
