from __future__ import annotations

from datetime import date
from typing import Any

from django import forms
from django.conf import settings
from django.contrib.auth import password_validation
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from goodskin.accounts.age import OLDEST_PLAUSIBLE_AGE, age_on
from goodskin.accounts.models import User
from goodskin.core.text import validate_single_line
from goodskin.core.validation import EmailAddressField


class NameField(forms.CharField):
    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("label", _("Full name"))
        kwargs.setdefault("max_length", 150)
        kwargs.setdefault("validators", [validate_single_line])
        super().__init__(**kwargs)
        self.widget.attrs.update({"autocomplete": "name"})


class BirthDateField(forms.DateField):
    """A date of birth. Asks neutrally: nothing on the page hints at the age the site requires."""

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("label", _("Date of birth"))
        kwargs.setdefault("input_formats", ["%Y-%m-%d"])
        kwargs.setdefault(
            "widget",
            forms.DateInput(attrs={"type": "date", "autocomplete": "bday"}, format="%Y-%m-%d"),
        )
        kwargs.setdefault(
            "error_messages",
            {"invalid": _("Enter a real date, for example 1990-04-25.")},
        )
        super().__init__(**kwargs)

    def validate(self, value: date | None) -> None:
        super().validate(value)
        if value is None:
            return
        today = timezone.localdate()
        if value > today:
            raise forms.ValidationError(
                _("Your date of birth can't be in the future."), code="future"
            )
        if age_on(born=value, today=today) > OLDEST_PLAUSIBLE_AGE:
            raise forms.ValidationError(
                _("Please check the year of your date of birth."), code="implausible"
            )


class LanguageField(forms.ChoiceField):
    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("label", _("Language for emails"))
        kwargs.setdefault("choices", settings.LANGUAGES)
        super().__init__(**kwargs)


class RegistrationForm(forms.Form):
    full_name = NameField()
    email = EmailAddressField(label=_("Email"))
    date_of_birth = BirthDateField()
    password = forms.CharField(
        label=_("Password"),
        strip=False,
        max_length=128,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
        help_text=_("At least 10 characters; not a common password."),
    )
    password_again = forms.CharField(
        label=_("Password again"),
        strip=False,
        max_length=128,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
    )

    def clean_full_name(self) -> str:
        name: str = self.cleaned_data["full_name"]
        if not name:
            raise forms.ValidationError(_("Please tell us your name."), code="required")
        return name

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        password, again = cleaned.get("password"), cleaned.get("password_again")
        if password and again and password != again:
            self.add_error("password_again", _("The two passwords don't match."))
        elif password:
            candidate = User(email=cleaned.get("email", ""), full_name=cleaned.get("full_name", ""))
            try:
                password_validation.validate_password(password, candidate)
            except forms.ValidationError as error:
                self.add_error("password", error)
        return cleaned


class SignInForm(forms.Form):
    email = EmailAddressField(label=_("Email"))
    password = forms.CharField(
        label=_("Password"),
        strip=False,
        max_length=128,
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
    )


class PasswordResetRequestForm(forms.Form):
    email = EmailAddressField(label=_("Email"))


class ProfileForm(forms.Form):
    full_name = NameField()
    preferred_language = LanguageField()


class CloseAccountForm(forms.Form):
    password = forms.CharField(
        label=_("Your password"),
        strip=False,
        max_length=128,
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
    )
    understood = forms.BooleanField(
        label=_(
            "I understand that closing my account erases my name, email and date of birth now."
        ),
    )

    def __init__(self, *args: Any, user: User, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.user = user

    def clean_password(self) -> str:
        password: str = self.cleaned_data["password"]
        if not self.user.check_password(password):
            raise forms.ValidationError(_("That password is not right."), code="wrong_password")
        return password
