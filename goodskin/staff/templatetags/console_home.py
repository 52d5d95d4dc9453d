# ruff: noqa: E501  (one tool per line reads as the table it is)
"""The console home lists only the privacy tools the staff member's roles open."""

from __future__ import annotations

from typing import Any, NamedTuple

from django import template
from django.urls import reverse

register = template.Library()


class Tool(NamedTuple):
    capability: str
    url_name: str
    name: str
    what: str


TOOLS = (
    Tool(
        "vault.view_data_map",
        "console:vault:data_map",
        "Data map",
        "Every field that holds personal data, and why",
    ),
    Tool(
        "tracking.view_analytics",
        "console:tracking:analytics",
        "Site analytics",
        "Visitors, pages, the consultation funnel and privacy choices",
    ),
    Tool(
        "communications.view_outbox",
        "console:communications:outbox",
        "Messages",
        "The outbox, interrupted messages, and opt-outs received by mail or phone",
    ),
    Tool(
        "rights.view_requests",
        "console:rights:queue",
        "Privacy requests",
        "Open requests, soonest deadline first, with what is overdue",
    ),
    Tool(
        "rights.view_requests",
        "console:rights:minors",
        "Possible minors",
        "Age signals from forms, and cases to erase",
    ),
    Tool(
        "retention.view_schedule",
        "console:retention:schedule",
        "Retention and legal holds",
        "The retention schedule, a dry run of tonight's purge, and legal holds",
    ),
    Tool(
        "disclosures.view_disclosures",
        "console:disclosures:list",
        "Disclosures",
        "The recipient register, the disclosure log, and de-identified exports",
    ),
    Tool(
        "incidents.view_incidents",
        "console:incidents:list",
        "Incidents",
        "Security incidents: who is affected, every state's deadline, notices and regulator drafts",
    ),
    Tool(
        "policies.view_versions",
        "console:policies:overview",
        "Policies",
        "Drafts, publishing with a diff, notices of material changes, and who was governed by which version",
    ),
    Tool(
        "communications.view_campaigns",
        "console:communications:campaigns",
        "Campaigns",
        "Marketing email and texts, only to people who chose them",
    ),
)


@register.inclusion_tag("staff/privacy_tools.html", takes_context=True)
def privacy_tools(context: dict[str, Any]) -> dict[str, Any]:
    user = context["request"].user
    tools = [
        {"href": reverse(tool.url_name), "name": tool.name, "what": tool.what}
        for tool in TOOLS
        if user.has_perm(tool.capability)
    ]
    roles = list(user.groups.order_by("name").values_list("name", flat=True))
    return {"tools": tools, "roles": roles}
