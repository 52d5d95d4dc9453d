from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _


class BannerForm(forms.Form):
    choice = forms.ChoiceField(
        choices=[("accept_all", _("Accept all")), ("reject_all", _("Reject all"))]
    )


class ChoicesForm(forms.Form):
    preferences = forms.BooleanField(
        label=_("Preferences"),
        required=False,
        help_text=_("Remember what you typed and the content you chose, for your next visit."),
    )
    analytics = forms.BooleanField(
        label=_("Analytics"),
        required=False,
        help_text=_("Count visits and pages, in our own system only, to improve the site."),
    )
    marketing = forms.BooleanField(
        label=_("Marketing"),
        required=False,
        help_text=_("Measure our promotions and, if we ever use them, advertising partners."),
    )
