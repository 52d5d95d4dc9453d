from __future__ import annotations

import unicodedata
from typing import Any

from django import forms
from django.core.files.uploadedfile import UploadedFile
from django.core.validators import RegexValidator
from django.utils.translation import gettext_lazy as _

from goodskin.accounts.forms import BirthDateField, NameField
from goodskin.core.text import validate_readable_text
from goodskin.core.validation import EmailAddressField, clean_email_address, clean_phone_number
from goodskin.jurisdictions.privacy import STATE_NAMES, US_STATES
from goodskin.rights.models import RequestKind
from goodskin.vault.corrections import LABELS as CORRECTION_LABELS
from goodskin.vault.corrections import Item


def _sort_key(name: str) -> str:
    """Alphabetical as a reader expects in either language: accents do not move a name."""
    return unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode().casefold()


def state_choices() -> list[tuple[str, str]]:
    """Called each time the form is drawn, so the names are in the reader's language and order."""
    names = sorted(
        ((code, str(STATE_NAMES[code])) for code in US_STATES), key=lambda c: _sort_key(c[1])
    )
    return [("", str(_("Choose…"))), *names, ("US", str(_("Elsewhere, or I would rather not say")))]


MAX_DOCUMENT_BYTES = 5 * 1024 * 1024
_DOCUMENT_TYPES = {
    b"%PDF-": "application/pdf",
    b"\x89PNG\r\n\x1a\n": "image/png",
    b"\xff\xd8\xff": "image/jpeg",
}
_AGENT_NAME = RegexValidator(
    r"^(?!.*\.[^\W\d_]{2})[^\W\d_](?:[^\W_]|[ .,'&-]){1,99}$",  # and nothing like a web address
    _("Use letters, spaces and . , ' & - only."),
)
_REFERENCE = RegexValidator(
    r"^\s*[Gg][Ss]-[A-Za-z0-9]{8}\s*$", _("A reference looks like GS-ABCD2345.")
)


def document_type(upload: UploadedFile[bytes]) -> str:
    """The checked type of an uploaded permission or proof, from its first bytes, not its name."""
    if upload.size is None or upload.size > MAX_DOCUMENT_BYTES:
        raise forms.ValidationError(_("Attach a file of up to 5 MB."))
    head = upload.read(8)
    upload.seek(0)
    for magic, content_type in _DOCUMENT_TYPES.items():
        if head.startswith(magic):
            return content_type
    raise forms.ValidationError(_("Attach a PDF, JPEG or PNG file."))


class RequestForm(forms.Form):
    kind = forms.ChoiceField(
        choices=RequestKind.choices, widget=forms.RadioSelect, label=_("What would you like?")
    )
    state = forms.ChoiceField(
        choices=state_choices,
        label=_("The state you live in"),
        help_text=_("Your state's law sets our deadlines; we ask rather than guess."),
    )
    email = forms.CharField(
        label=_("Your email address"),
        max_length=254,
        widget=forms.EmailInput(attrs={"autocomplete": "email"}),
        help_text=_("We send the confirmation and a code to check it is you here."),
    )
    correct_items = forms.MultipleChoiceField(
        required=False,
        choices=[(item.value, label) for item, label in CORRECTION_LABELS.items()],
        widget=forms.CheckboxSelectMultiple,
        label=_("For a correction: what is wrong?"),
    )
    details = forms.CharField(
        required=False,
        max_length=2000,
        validators=[validate_readable_text],
        widget=forms.Textarea(attrs={"rows": 4}),
        label=_("Anything we should know (for a correction: what is wrong and what it should say)"),
    )

    appeal_of = forms.CharField(
        required=False,
        max_length=14,
        validators=[_REFERENCE],
        label=_("For an appeal: the reference of our answer"),
        help_text=_("It starts GS- and is at the top of our email."),
    )
    child_email = forms.CharField(
        required=False,
        max_length=254,
        label=_("Your child's email address"),
        widget=forms.EmailInput(),
        help_text=_("Give your own address above; we check it is you before we act."),
    )
    agent = forms.BooleanField(
        required=False, label=_("I am an authorised agent asking for the person named above")
    )
    agent_name = forms.CharField(
        required=False,
        max_length=100,
        validators=[_AGENT_NAME],
        label=_("Your name or your business's name"),
    )
    agent_email = forms.CharField(
        required=False,
        max_length=254,
        label=_("Your email address, as their agent"),
        widget=forms.EmailInput(),
    )
    document = forms.FileField(
        required=False,
        label=_("Signed permission (agent) or proof you are the child's parent or guardian"),
        help_text=_("A PDF, JPEG or PNG of up to 5 MB. Only our privacy team sees it."),
    )

    def clean_email(self) -> str:
        return clean_email_address(self.cleaned_data["email"])

    def clean_child_email(self) -> str:
        value = self.cleaned_data["child_email"]
        return clean_email_address(value) if value else ""

    def clean_agent_email(self) -> str:
        value = self.cleaned_data["agent_email"]
        return clean_email_address(value) if value else ""

    def clean_document(self) -> tuple[bytes, str] | None:
        upload = self.cleaned_data.get("document")
        if not upload:
            return None
        content_type = document_type(upload)
        return upload.read(), content_type

    def clean(self) -> dict[str, object]:
        cleaned = super().clean() or {}
        if cleaned.get("kind") == "appeal" and not cleaned.get("appeal_of"):
            self.add_error("appeal_of", _("Give the reference of the answer you are appealing."))
        if cleaned.get("agent"):
            if not cleaned.get("agent_name"):
                self.add_error("agent_name", _("Tell us who you are."))
            if not cleaned.get("agent_email"):
                self.add_error("agent_email", _("Give an address where we can reach you."))
        return cleaned


class CodeForm(forms.Form):
    reference = forms.CharField(max_length=12, label=_("Request reference"))
    code = forms.CharField(
        max_length=6,
        min_length=6,
        label=_("The 6-digit code from our email"),
        widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "one-time-code"}),
    )


class ReportCodeForm(forms.Form):
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

    # The public form speaks to the person; staff typing in a letter or a call are not that
    # person, so every label says whose details go where.
    STAFF_LABELS = {
        "kind": ("What the person asks for", ""),
        "state": ("The state the person lives in", "Their state's law sets the deadlines."),
        "email": (
            "The person's email address",
            "The confirmation, and a code if one is needed, go there.",
        ),
        "details": (
            "What they wrote or said (for a correction: what is wrong and what is right)",
            "",
        ),
        "appeal_of": ("For an appeal: the reference of the answer appealed", ""),
        "child_email": ("For a parent's request: the child's email address", ""),
        "agent": ("An authorised agent sent it for the person named above", ""),
        "agent_name": ("The agent's name or business", ""),
        "agent_email": ("The agent's email address", ""),
        "document": ("The agent's signed permission, or the parent's proof", ""),
    }

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for name, (label, help_text) in self.STAFF_LABELS.items():
            self.fields[name].label = label
            self.fields[name].help_text = help_text


class DecisionForm(forms.Form):
    action = forms.ChoiceField(
        choices=[("fulfil", "Fulfil"), ("extend", "Extend once"), ("deny", "Deny")]
    )

    def __init__(self, *args: Any, fulfil: bool = True, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if not fulfil:
            self.fields["action"].choices = [("extend", "Extend once"), ("deny", "Deny")]  # type: ignore[attr-defined]  # a ChoiceField

    reason = forms.CharField(
        required=False,
        max_length=500,
        widget=forms.Textarea(attrs={"rows": 3}),
        label="What the person will read: the reason (extension, denial) or what was done "
        "(correction, appeal); no personal details",
    )


class CorrectionForm(forms.Form):
    """The staff form for a correction request: one box per piece the person named (every piece
    when they named none), each showing what we hold now; a box left empty changes nothing."""

    note = forms.CharField(
        required=False,
        max_length=500,
        widget=forms.Textarea(attrs={"rows": 3}),
        label="Anything else the person will read (optional; no personal details)",
    )

    def __init__(
        self, *args: Any, items: list[Item], held: dict[Item, list[str]], **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        fields: dict[str, forms.Field] = {}
        for item in items:
            now = "; ".join(held.get(item, [])) or "nothing held"
            options: dict[str, Any] = {
                "required": False,
                "label": f"New {str(CORRECTION_LABELS[item]).lower()}",
                "help_text": f"We hold now: {now}",
            }
            if item == Item.EMAIL:
                fields[item] = EmailAddressField(**options)
            elif item == Item.PHONE:
                fields[item] = forms.CharField(max_length=40, **options)
            elif item == Item.DATE_OF_BIRTH:
                fields[item] = BirthDateField(**options)
            else:
                fields[item] = NameField(**options)
            # The staff member's browser must not offer their own name or address here.
            fields[item].widget.attrs["autocomplete"] = "off"
        self.fields = {**fields, "note": self.fields["note"]}

    def clean_phone(self) -> str:
        value = self.cleaned_data.get("phone", "")
        return clean_phone_number(value) if value else ""

    def changes(self) -> dict[Item, object]:
        return {
            Item(name): value
            for name, value in self.cleaned_data.items()
            if name != "note" and value not in (None, "")
        }
