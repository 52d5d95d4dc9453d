"""Staff pages: the outbox's health, interrupted messages, opt-outs received by mail or phone,
and campaigns from draft to delivery. Staff see counts, kinds and states, never addresses."""

from __future__ import annotations

import uuid

from django.contrib import messages
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.clickjacking import xframe_options_sameorigin
from django.views.decorators.csp import csp_override
from django.views.decorators.http import require_POST

from goodskin.communications import queries
from goodskin.communications.actions import campaigns as campaigns_actions
from goodskin.communications.actions import choices
from goodskin.communications.actions import outbox as outbox_actions
from goodskin.communications.charts import progress_bar
from goodskin.communications.forms import CampaignForm, ScheduleForm, StaffOptOutForm
from goodskin.communications.models import Campaign, CampaignStatus, Channel, Source
from goodskin.communications.rendering import CampaignText, render_marketing
from goodskin.communications.tokens import UnsubscribeLink
from goodskin.core.console import console_page
from goodskin.core.doors import staff_door
from goodskin.core.errors import NotFound

# A link id no person has: the preview's unsubscribe link is real in form and inert in effect.
_PREVIEW_LINK = uuid.UUID(int=0)


@staff_door("communications.view_outbox")
def outbox(request: HttpRequest) -> HttpResponse:
    form = StaffOptOutForm(request.POST or None)
    if request.method == "POST":
        if form.is_valid():
            choices.record_opt_out_for_address(
                email=form.cleaned_data["email"], source=Source(form.cleaned_data["received_by"])
            )
            messages.success(
                request,
                "Recorded: that address gets no more marketing, from now on. "
                "(Shown the same whether or not we hold anything about it.)",
            )
            return redirect("console:communications:outbox")
        status = 400
    else:
        status = 200
    return console_page(
        request,
        "communications/console/outbox.html",
        "Messages",
        status=status,
        form=form,
        health=queries.outbox_health(now=timezone.now()),
        in_doubt=queries.in_doubt_messages()[:100],
        recent=queries.recent_messages(limit=50),
    )


@staff_door("communications.view_outbox", act="communications.release_message")
@require_POST
def release_message(request: HttpRequest, message_id: int) -> HttpResponse:
    try:
        message = queries.access_message(message_id)
        outbox_actions.release_in_doubt_message(
            message=message, resend=request.POST.get("resend") == "1"
        )
    except (NotFound, ValueError):
        messages.error(request, "That message is no longer waiting for a decision.")
    else:
        messages.success(request, "Done.")
    return redirect("console:communications:outbox")


@staff_door("communications.view_campaigns")
def campaigns(request: HttpRequest) -> HttpResponse:
    rows = [
        (campaign, queries.campaign_progress(campaign))
        for campaign in Campaign.objects.select_related("audience_clinic")[:100]
    ]
    return console_page(request, "communications/console/campaigns.html", "Campaigns", rows=rows)


@staff_door("communications.view_campaigns", act="communications.edit_campaign")
def campaign_edit(request: HttpRequest, campaign_id: int | None = None) -> HttpResponse:
    campaign = None
    if campaign_id is not None:
        try:
            campaign = queries.access_campaign(campaign_id)
        except NotFound:
            return render(request, "404.html", status=404)
        if campaign.status != CampaignStatus.DRAFT:
            messages.error(request, "Only a draft can be edited.")
            return redirect("console:communications:campaign", campaign_id=campaign.pk)
    form = CampaignForm(request.POST or None, instance=campaign)
    if request.method == "POST" and form.is_valid():
        saved = campaigns_actions.save_campaign(campaign=form.instance)
        messages.success(request, "Saved. Check the preview, then schedule it.")
        return redirect("console:communications:campaign", campaign_id=saved.pk)
    title = "New campaign" if campaign is None else f"Edit “{campaign.name}”"
    return console_page(
        request,
        "communications/console/campaign_form.html",
        title,
        status=400 if form.is_bound and form.errors else 200,
        form=form,
        campaign=campaign,
    )


@staff_door("communications.view_campaigns", act="communications.send_campaign")
def campaign_detail(request: HttpRequest, campaign_id: int) -> HttpResponse:
    try:
        campaign = queries.access_campaign(campaign_id)
    except NotFound:
        return render(request, "404.html", status=404)
    form = ScheduleForm(request.POST or None)
    status = 200
    if request.method == "POST":
        try:
            if request.POST.get("action") == "cancel":
                withdrawn = campaigns_actions.cancel_campaign(campaign=campaign)
                messages.success(request, f"Cancelled; {withdrawn} unsent messages withdrawn.")
                return redirect("console:communications:campaign", campaign_id=campaign.pk)
            if form.is_valid():
                campaigns_actions.schedule_campaign(
                    campaign=campaign, send_at=form.cleaned_data["send_at"]
                )
                messages.success(request, "Scheduled. Progress shows below.")
                return redirect("console:communications:campaign", campaign_id=campaign.pk)
            status = 400
        except (campaigns_actions.CampaignLocked, ValueError) as error:
            messages.error(request, str(error))
            return redirect("console:communications:campaign", campaign_id=campaign.pk)
    progress = queries.campaign_progress(campaign)
    return console_page(
        request,
        "communications/console/campaign.html",
        campaign.name,
        status=status,
        campaign=campaign,
        form=form,
        progress=progress,
        bar=progress_bar(progress),
        audience_now=queries.campaign_audience(campaign).count(),
    )


@staff_door("communications.view_campaigns")
def campaign_progress(request: HttpRequest, campaign_id: int) -> JsonResponse:
    try:
        campaign = queries.access_campaign(campaign_id)
    except NotFound:
        return JsonResponse({"detail": "No such campaign."}, status=404)
    progress = queries.campaign_progress(campaign)
    return JsonResponse(
        {
            "status": campaign.status,
            "percent": progress.percent,
            "audience": progress.audience,
            "sent": progress.sent,
            "waiting": progress.waiting,
            "failed": progress.failed,
            "suppressed": progress.suppressed,
            "cancelled": progress.cancelled,
            "in_doubt": progress.in_doubt,
            "unsubscribed": progress.unsubscribed,
        }
    )


# The preview is the email exactly as sent, and email HTML needs inline styles: this one response
# may use them, inside a sandboxed frame on our own console page and nowhere else.
@staff_door("communications.view_campaigns")
@xframe_options_sameorigin
@csp_override(
    {
        "default-src": ["'none'"],
        "style-src": ["'unsafe-inline'"],
        "img-src": ["'self'"],
        "frame-ancestors": ["'self'"],
        "sandbox": [""],
    }
)
def campaign_preview(request: HttpRequest, campaign_id: int, language: str) -> HttpResponse:
    try:
        campaign = queries.access_campaign(campaign_id)
    except NotFound:
        return HttpResponse("No such campaign.", status=404, content_type="text/plain")
    if language not in {"en", "es"} or campaign.channel != Channel.EMAIL:
        return HttpResponse("No email preview for that.", status=404, content_type="text/plain")
    spanish = language == "es"
    rendered = render_marketing(
        text=CampaignText(
            subject=campaign.subject_es if spanish else campaign.subject_en,
            body=campaign.body_es if spanish else campaign.body_en,
            topic=campaign.topic,
        ),
        language=language,
        link=UnsubscribeLink(
            link_id=_PREVIEW_LINK, topic=campaign.topic, channel="email", campaign_id=None
        ),
    )
    return HttpResponse(rendered.html)
