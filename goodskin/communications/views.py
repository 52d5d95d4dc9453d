"""Pages for people: unsubscribe links, the preference centre and the notification centre."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods, require_POST

from goodskin.communications import queries
from goodskin.communications.actions import choices as choices_actions
from goodskin.communications.actions import notices as notices_actions
from goodskin.communications.forms import ChoicesForm, PreferencesForm
from goodskin.communications.models import Channel, Interest, Source, Topic
from goodskin.communications.tokens import BadLink, read_unsubscribe_token
from goodskin.core.errors import NotFound


def _bad_link(request: HttpRequest) -> HttpResponse:
    return render(request, "communications/unsubscribe_invalid.html", status=400)


# Mail programs POST here with no cookie (RFC 8058), so there is no CSRF token to check: the
# signed token in the address is the credential, and it can only switch messages off or reshape
# what its own person gets.
@csrf_exempt
@require_http_methods(["GET", "POST"])
def unsubscribe(request: HttpRequest, token: str) -> HttpResponse:
    try:
        link = read_unsubscribe_token(token)
    except BadLink:
        return _bad_link(request)
    if request.method == "POST" and request.POST.get("List-Unsubscribe") == "One-Click":
        choices_actions.unsubscribe_by_link(link=link, source=Source.ONE_CLICK, everything=False)
        # 200 and no redirect, as RFC 8058 requires.
        return render(request, "communications/unsubscribed_one_click.html")
    preferences = queries.preferences_by_link(link.link_id)
    topic_label = Topic(link.topic).label if link.topic in Topic.values else ""
    context: dict[str, object] = {"token": token, "topic_label": topic_label, "link": link}
    if preferences is None:
        # An erased person: there is nothing left to switch off. Say so the same way.
        return render(request, "communications/unsubscribe_done.html", context)
    person = preferences.person
    action = request.POST.get("action", "") if request.method == "POST" else ""
    if action in {"unsubscribe", "unsubscribe_all"}:
        choices_actions.unsubscribe_by_link(
            link=link, source=Source.LINK, everything=action == "unsubscribe_all"
        )
        context["done"] = action
    form = ChoicesForm(
        request.POST if action == "save" else None,
        initial_choices=queries.choices_for(person),
    )
    if action == "save":
        if not form.is_valid():
            return render(
                request, "communications/unsubscribe.html", {**context, "form": form}, status=400
            )
        choices_actions.set_choices(person=person, choices=form.choices(), source=Source.LINK)
        context["done"] = "saved"
        form = ChoicesForm(initial_choices=queries.choices_for(person))
    elif action not in {"", "unsubscribe", "unsubscribe_all"}:
        return _bad_link(request)
    return render(request, "communications/unsubscribe.html", {**context, "form": form})


@login_required
def preferences(request: HttpRequest) -> HttpResponse:
    person = request.user.person  # type: ignore[union-attr]  # login_required: a User
    language = request.user.preferred_language  # type: ignore[union-attr]  # as above
    stored = queries.stored_preferences(person, language=language)
    initial = {
        "home_clinic": stored.home_clinic_id,
        "interests": list(Interest.objects.filter(person=person).values_list("service", flat=True)),
        "language": stored.language,
    }
    reachable = (Channel.EMAIL, Channel.SMS) if person.phone else (Channel.EMAIL,)
    choices = queries.choices_for(person)
    if request.method == "POST" and request.POST.get("everything_off"):
        # One button for "stop everything I can stop", whatever the rest of the form says.
        choices_actions.set_choices(
            person=person, choices=dict.fromkeys(choices, False), source=Source.ACCOUNT
        )
        messages.success(
            request,
            _(
                "Done: we send you no marketing and no reminders, by email or text. Messages "
                "about your account and your privacy requests still reach you."
            ),
        )
        return redirect("communications:preferences")
    form = PreferencesForm(
        request.POST or None, initial=initial, initial_choices=choices, channels=reachable
    )
    if request.method == "POST":
        if form.is_valid():
            home_clinic = form.cleaned_data["home_clinic"]
            choices_actions.update_preferences(
                person=person,
                choices=form.choices(),
                source=Source.ACCOUNT,
                language=form.cleaned_data["language"],
                home_clinic_id=home_clinic.pk if home_clinic else None,
                interest_ids=[service.pk for service in form.cleaned_data["interests"]],
            )
            messages.success(request, _("Your choices are saved. They apply from now on."))
            return redirect("communications:preferences")
        return render(request, "communications/preferences.html", {"form": form}, status=400)
    verified = person.email_verified_at is not None
    return render(
        request, "communications/preferences.html", {"form": form, "email_verified": verified}
    )


@login_required
def notices(request: HttpRequest) -> HttpResponse:
    person = request.user.person  # type: ignore[union-attr]  # login_required: a User
    return render(
        request,
        "communications/notices.html",
        {"notices": queries.notices_for(person)[:100]},
    )


@login_required
@require_POST
def mark_notices_read(request: HttpRequest) -> HttpResponse:
    person = request.user.person  # type: ignore[union-attr]  # login_required: a User
    which = request.POST.get("notice", "all")
    if which == "all":
        chosen = list(queries.notices_for(person).filter(read_at__isnull=True))
    else:
        try:
            chosen = [queries.access_notice(person, int(which))]
        except (ValueError, NotFound):
            return render(request, "404.html", status=404)
    notices_actions.mark_notices_read(person=person, notices=chosen)
    return redirect("communications:notices")
