"""Every public form, fuzzed: whatever is typed into any field (any Unicode, NUL, right-to-left
marks, huge lengths, numbers and dates at the edges) gets a page or a redirect, never a server
error; and when the form refuses, nothing about anyone was stored.

The attempt itself may leave what the policy says it leaves: an audit entry that names no value,
a rate-limit counter keyed by a hash, a session. Everything else must be exactly as it was.
"""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Iterator
from datetime import date
from io import StringIO
from pathlib import Path

import pytest
from django import forms
from django.apps import apps
from django.contrib.auth.forms import PasswordChangeForm
from django.core.management import call_command
from django.forms import Form
from django.test import Client
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from goodskin.accounts.forms import (
    CloseAccountForm,
    PasswordResetRequestForm,
    ProfileForm,
    RegistrationForm,
    SignInForm,
)
from goodskin.accounts.tests.conftest import PASSWORD, make_account
from goodskin.communications.forms import PreferencesForm
from goodskin.communications.models import Channel, Topic
from goodskin.consent.forms import BannerForm, ChoicesForm
from goodskin.core.validation import EmailAddressField
from goodskin.rights.forms import CodeForm, DetailsForm, RequestForm
from goodskin.submissions.forms import ConsultationForm, ContactForm

pytestmark = pytest.mark.django_db

PUBLIC_FORMS: dict[str, type[Form]] = {
    "/accounts/register/": RegistrationForm,
    "/accounts/login/": SignInForm,
    "/accounts/password/reset/": PasswordResetRequestForm,
    "/consultation/": ConsultationForm,
    "/contact/": ContactForm,
    "/privacy/request/": RequestForm,
    "/privacy/request/verify/": CodeForm,
    "/privacy/request/details/": DetailsForm,
    "/privacy/consent/": BannerForm,
    "/privacy/choices/": ChoicesForm,
}
SIGNED_IN_FORMS: dict[str, type[Form]] = {
    "/accounts/profile/": ProfileForm,
    "/accounts/close/": CloseAccountForm,
    "/accounts/password/": PasswordChangeForm,
    "/accounts/messages/": PreferencesForm,
}
# What an attempt may leave behind, by design: the audit trail (references only), rate limits
# (keyed hashes), sessions, and the outbox of the audit's own notices.
MAY_CHANGE = {"audit.auditentry", "audit.chainhead", "core.ratecounter", "sessions.session"}
ANSWERS = {200, 302, 303, 400, 403, 404, 405, 429}
EXAMPLES = 60
TALLY: Counter[tuple[str, int]] = Counter()
FUZZING = settings(
    max_examples=EXAMPLES,
    derandomize=True,
    database=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)

EDGES = [
    "",
    " ",
    "\x00",
    "a\x00b",
    "\u202egnp.exe",
    "\ufeff",
    "²",
    "٣",
    "0",
    "-1",
    str(2**63),
    str(-(2**63) - 1),
    "1e309",
    "NaN",
    "9999-12-31",
    "0000-00-00",
    "2026-02-30",
    "1900-01-01",
    "<script>alert(1)</script>",
    "' OR 1=1 --",
    "../../etc/passwd",
    "rosa@example.com",
    "\u0430lice@example.com",
    "x" * 5000,
    "9" * 400,
]
values = st.one_of(
    st.sampled_from(EDGES),
    st.text(alphabet=st.characters(codec="utf-8"), max_size=80),
    st.text(alphabet=st.characters(categories=["Cc", "Cf", "Zl", "Zp", "Mn"]), max_size=20),
    st.integers().map(str),
    st.text(max_size=1).map(lambda start: start * 30_000),
)


def form_fields(form_class: type[Form]) -> dict[str, forms.Field]:
    if form_class is PreferencesForm:
        keys = dict.fromkeys(_choice_keys(), False)
        return dict(PreferencesForm(initial_choices=keys).fields)
    if form_class is PasswordChangeForm:
        return dict(PasswordChangeForm(user=None).fields)  # type: ignore[arg-type]  # fields only
    return dict(form_class.base_fields)


# Values a person would type, per field name, so valid forms are common enough to reach the actions.
TYPICAL = {
    "full_name": "Rosa Delgado",
    "name": "Rosa Delgado",
    "phone": "(310) 555-0142",
    "message": "I would like to book a facial, please.",
    "details": "My address changed last year.",
    "password": PASSWORD,
    "password_again": PASSWORD,
    "old_password": PASSWORD,
    "new_password1": "Quiet-Cove-Harbour-77",
    "new_password2": "Quiet-Cove-Harbour-77",
    "date_of_birth": "1988-07-14",
    "code": "123456",
    "reference": "GS-ABCDEFGH",
    "understood": "on",
}


def valid_for(name: str, field: forms.Field) -> st.SearchStrategy[str]:
    """Values the field accepts."""
    if name in {"website", "agent", "appeal_of", "child_email", "agent_name", "agent_email"}:
        return st.just("")  # the honeypot, and the parts of the request form most people skip
    if name in TYPICAL:
        valid: st.SearchStrategy[str] = st.just(TYPICAL[name])
    elif isinstance(field, EmailAddressField) or name.endswith("email"):
        valid = st.sampled_from(["rosa@example.com", "lena.ortiz@example.org", "FUZZ@example.com"])
    elif isinstance(field, forms.DateField):
        valid = st.dates().map(date.isoformat)
    elif isinstance(field, forms.BooleanField):
        valid = st.sampled_from(["on", ""])
    elif isinstance(field, forms.ModelChoiceField):
        key = field.to_field_name or "pk"
        items = list(field.queryset or [])
        valid = st.sampled_from([str(getattr(item, key)) for item in items] or [""])
    elif isinstance(field, forms.ChoiceField):
        options = [str(value) for value, _ in field.choices if value]  # type: ignore[misc,union-attr]  # a plain list here
        valid = st.sampled_from(options or [""])
    else:
        valid = st.text(alphabet=st.characters(categories=["L", "N", "Zs"]), max_size=40)
    return valid


def _choice_keys() -> list[tuple[str, str]]:
    return [(topic.value, channel.value) for topic in Topic for channel in Channel]


def snapshot() -> dict[str, int]:
    return {
        model._meta.label_lower: model._default_manager.count()
        for model in apps.get_models()
        if model._meta.label_lower not in MAY_CHANGE and not model._meta.proxy
    }


def fuzz(client: Client, path: str, form_class: type[Form], data: st.DataObject) -> None:
    draw = data.draw
    # At most two fields get anything at all and the rest what a person would type, so the
    # fuzzing reaches each field's check and the actions behind a valid form, not only the first
    # field error of a form that is wrong everywhere.
    every = form_fields(form_class)
    broken = draw(st.sets(st.sampled_from(sorted(every)), max_size=2), label="broken fields")
    fields = {
        name: draw(values if name in broken else valid_for(name, field), label=name)
        for name, field in every.items()
    }
    client.get(path)  # as a person would: the page first (it may make their preferences row)
    before = snapshot()
    response = client.post(path, fields)
    TALLY[(path, response.status_code)] += 1
    assert response.status_code in ANSWERS, (path, response.status_code)
    if response.status_code >= 400:
        after = snapshot()
        changed = {
            name: (before[name], after[name]) for name in after if after[name] != before[name]
        }
        assert not changed, f"{path} refused the form but stored {changed}"


@pytest.fixture(autouse=True)
def clinic_content(db: None) -> None:
    """Treatments and clinics to choose from (rolled back after each test)."""
    call_command("load_demo_data", "--no-staff", stdout=StringIO())


@pytest.mark.parametrize("path", PUBLIC_FORMS)
@FUZZING
@given(data=st.data())
def test_no_input_to_a_public_form_fails_the_site_or_is_kept_when_refused(
    client: Client, path: str, data: st.DataObject
) -> None:
    fuzz(client, path, PUBLIC_FORMS[path], data)


@pytest.mark.parametrize("path", SIGNED_IN_FORMS)
@FUZZING
@given(data=st.data())
def test_no_input_to_an_account_form_fails_the_site_or_is_kept_when_refused(
    client: Client, path: str, data: st.DataObject
) -> None:
    user = make_account(email="fuzz@example.com") if not hasattr(client, "_fuzz_user") else None
    if user is not None:
        client._fuzz_user = user  # type: ignore[attr-defined]  # one account per test
    client.force_login(client._fuzz_user)  # type: ignore[attr-defined]  # set above
    fuzz(client, path, SIGNED_IN_FORMS[path], data)


@pytest.fixture(scope="module", autouse=True)
def fuzzing_report() -> Iterator[None]:
    yield
    if TALLY:
        report = Path(__file__).resolve().parent.parent / "var" / "fuzz-forms.json"
        report.parent.mkdir(exist_ok=True)
        rows = [[path, status, count] for (path, status), count in sorted(TALLY.items())]
        report.write_text(json.dumps({"cases": sum(TALLY.values()), "rows": rows}, indent=1))
