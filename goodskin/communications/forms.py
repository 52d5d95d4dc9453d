from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from django import forms
from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from goodskin.communications.models import MARKETING_TOPICS, Campaign, Channel, Topic
from goodskin.communications.rendering import HeaderInjection, one_line
from goodskin.core.text import validate_single_line
from goodskin.core.validation import clean_email_address
from goodskin.website.models import Clinic, Service

SMS_LIMIT = 300


def choice_field_name(topic: str, channel: str) -> str:
    return f"{topic}_{channel}"


class ChoicesForm(forms.Form):
    """One switch per topic and channel: the part of the preference centre an email link opens."""

    def __init__(
        self,
        *args: Any,
        initial_choices: dict[tuple[str, str], bool],
        channels: tuple[Channel, ...] = tuple(Channel),
        **kwargs: Any,
    ):
        super().__init__(*args, **kwargs)
        # Only the channels the person can be reached on: no text-message switches without a
        # phone number, and the choices of a channel not shown are left as they are.
        self.channels = channels
        for topic in Topic:
            for channel in channels:
                self.fields[choice_field_name(topic, channel)] = forms.BooleanField(
                    required=False,
                    label=f"{topic.label} · {channel.label}",
                    initial=initial_choices[(topic.value, channel.value)],
                )

    def choices(self) -> dict[tuple[str, str], bool]:
        return {
            (topic.value, channel.value): bool(self.cleaned_data[choice_field_name(topic, channel)])
            for topic in Topic
            for channel in self.channels
        }

    def rows(self) -> list[tuple[Topic, list[forms.BoundField]]]:
        return [
            (topic, [self[choice_field_name(topic, channel)] for channel in self.channels])
            for topic in Topic
        ]


class ServiceChoices(forms.ModelMultipleChoiceField):  # type: ignore[type-arg]  # stubs make it generic
    """Treatments named in the reader's language (a Service's str() is its English name)."""

    def label_from_instance(self, obj: Any) -> str:
        return str(obj.name)


class PreferencesForm(ChoicesForm):
    """The whole preference centre, for a signed-in person."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["home_clinic"] = forms.ModelChoiceField(
            queryset=Clinic.objects.order_by("name"),
            required=False,
            label=_("Your clinic"),
            empty_label=_("No preference"),
            help_text=_("We use it to tell you about events and offers near you."),
        )
        self.fields["interests"] = ServiceChoices(
            queryset=Service.objects.all(),
            required=False,
            label=_("Treatments you would like to hear about"),
            widget=forms.CheckboxSelectMultiple,
        )
        self.fields["language"] = forms.ChoiceField(
            choices=settings.LANGUAGES, label=_("Language for our messages")
        )


class CampaignForm(forms.ModelForm[Campaign]):
    class Meta:
        model = Campaign
        fields = [
            "name",
            "topic",
            "channel",
            "audience_clinic",
            "audience_interest",
            "subject_en",
            "body_en",
            "subject_es",
            "body_es",
        ]
        labels = {
            "topic": "Topic (only people who chose it will get this)",
            "audience_clinic": "Only people whose clinic is",
            "audience_interest": "Only people interested in",
            "subject_en": "Subject (English)",
            "body_en": "Message (English)",
            "subject_es": "Subject (Spanish)",
            "body_es": "Message (Spanish)",
        }
        help_texts = {
            "body_en": "Plain text; a blank line starts a new paragraph. The unsubscribe link, "
            "the clinic's address and the reason the person gets this are added for you.",
        }
        widgets = {
            "body_en": forms.Textarea(attrs={"rows": 8}),
            "body_es": forms.Textarea(attrs={"rows": 8}),
        }

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        topic = self.fields["topic"]
        assert isinstance(topic, forms.ChoiceField)  # a model field with choices
        topic.choices = [(choice.value, choice.label) for choice in MARKETING_TOPICS]

    def _clean_subject(self, name: str) -> str:
        value: str = self.cleaned_data[name]
        try:
            return one_line(value, what="The subject")
        except HeaderInjection as error:
            raise forms.ValidationError(str(error) + "; remove the line break.") from None

    def clean_subject_en(self) -> str:
        return self._clean_subject("subject_en")

    def clean_subject_es(self) -> str:
        return self._clean_subject("subject_es")

    def clean_name(self) -> str:
        name: str = self.cleaned_data["name"]
        validate_single_line(name)
        return name.strip()

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        if cleaned.get("channel") == Channel.SMS:
            for name in ("body_en", "body_es"):
                body = cleaned.get(name) or ""
                if len(body) > SMS_LIMIT:
                    self.add_error(
                        name,
                        f"A text message can be at most {SMS_LIMIT} characters; "
                        f"this one has {len(body)}.",
                    )
        return cleaned


class ScheduleForm(forms.Form):
    send_at = forms.DateTimeField(
        required=False,
        label="Send at (clinic time); leave empty to send now",
        input_formats=["%Y-%m-%dT%H:%M"],
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
    )

    def clean_send_at(self) -> datetime:
        value: datetime | None = self.cleaned_data["send_at"]
        now = timezone.now()
        if value is None:
            return now
        if value < now - timedelta(minutes=1):
            raise forms.ValidationError("That time has passed; choose a time from now on.")
        return value


class StaffOptOutForm(forms.Form):
    email = forms.CharField(label="Email address the person asked us to stop marketing to")
    received_by = forms.ChoiceField(
        choices=[
            ("mail", "Email to the unsubscribe or info@ address"),
            ("staff", "Phone call, letter or in person"),
        ],
        label="How the request reached us",
    )

    def clean_email(self) -> str:
        return clean_email_address(self.cleaned_data["email"])
