"""The console home lists only the privacy tools the staff member's roles open."""

from __future__ import annotations

from typing import Any, NamedTuple

from django import template
from django.urls import resolve, reverse

from goodskin.core.doors import door_of
from goodskin.staff.queries import role_names

register = template.Library()


class Tool(NamedTuple):
    url_name: str
    name: str
    what: str


TOOLS = (
    Tool(
        "console:vault:data_map",
        "Data map",
        "Every field that holds personal data, and why",
    ),
    Tool(
        "console:tracking:analytics",
        "Site analytics",
        "Visitors, pages, the consultation funnel and privacy choices",
    ),
    Tool(
        "console:communications:outbox",
        "Messages",
        "The outbox, interrupted messages, and opt-outs received by mail or phone",
    ),
    Tool(
        "console:rights:queue",
        "Privacy requests",
        "Open requests, soonest deadline first, with what is overdue",
    ),
    Tool(
        "console:rights:minors",
        "Possible minors",
        "Age signals from forms, and cases to erase",
    ),
    Tool(
        "console:retention:schedule",
        "Retention and legal holds",
        "The retention schedule, a dry run of tonight's purge, and legal holds",
    ),
    Tool(
        "console:disclosures:list",
        "Disclosures",
        "The recipient register, the disclosure log, and de-identified exports",
    ),
    Tool(
        "console:incidents:list",
        "Incidents",
        "Security incidents: who is affected, every state's deadline, notices and regulator drafts",
    ),
    Tool(
        "console:policies:overview",
        "Policies",
        "Drafts, publishing with a diff, notices of material changes, and who was governed by "
        "which version",
    ),
    Tool(
        "console:operations:jobs",
        "Periodic jobs",
        "Backups, retention, the outbox and other nightly work: last and next runs",
    ),
    Tool(
        "console:communications:campaigns",
        "Campaigns",
        "Marketing email and texts, only to people who chose them",
    ),
)


@register.inclusion_tag("staff/privacy_tools.html", takes_context=True)
def privacy_tools(context: dict[str, Any]) -> dict[str, Any]:
    user = context["request"].user
    tools = []
    for tool in TOOLS:
        href = reverse(tool.url_name)
        door = door_of(resolve(href).func)  # the page's own door decides whether it is listed
        if door is not None and door.lets(user, "GET"):
            tools.append({"href": href, "name": tool.name, "what": tool.what})
    roles = role_names(user)
    return {"tools": tools, "roles": roles}
