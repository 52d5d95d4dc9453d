"""Public pages rendered once, then only their per-visitor parts on each request.

Most of a public page is the same for every visitor in a language: the head, the navigation, the
treatments and clinics, the footer. A few parts are not: the consent banner, the language switch
and sign-in links (with the form token), the policy-change strip, flash messages, the privacy
signals handed to the page's scripts. Templates mark those parts `{% visitor "name" %}…
{% endvisitor %}`. A page served through `render_page` is rendered whole once per language, page,
day and content version into a *shell* in which each marked part is a placeholder, and kept in the
cache; every request then renders only the marked parts, with its own request, and puts them in.

The shell is rendered for a blank visitor — no cookies, no session, nobody signed in, no privacy
signal — never for the person asking: whatever a template says outside a marked part, the kept
shell cannot hold anything about a reader (a test signs in, sends GPC and a flash message, and
reads every kept value). Outside `render_page` a marked part simply renders in place.
"""

from __future__ import annotations

import hashlib
from collections.abc import Mapping
from typing import Any

from django.contrib.auth.models import AnonymousUser
from django.core.cache import cache
from django.http import HttpRequest, HttpResponse
from django.template import Context, Node, NodeList
from django.template.backends.django import Template as BackendTemplate
from django.template.context import make_context
from django.template.loader import get_template
from django.utils import timezone, translation

SHELL_FLAG = "_rendering_a_shell"
KEPT_FOR_SECONDS = 24 * 60 * 60
_MARK = "\x00visitor:"


class VisitorNode(Node):
    """A part of the page that belongs to one visitor: rendered in place, or, while a shell is
    rendered, left as a placeholder naming it."""

    def __init__(self, name: str, nodelist: NodeList) -> None:
        self.name = name
        self.nodelist = nodelist
        PARTS[name] = self

    def render(self, context: Context) -> str:
        if context.get(SHELL_FLAG):
            return f"{_MARK}{self.name}\x00"
        return str(self.nodelist.render(context))


# Every marked part this process has parsed, by name (names are unique across templates).
PARTS: dict[str, VisitorNode] = {}


def _blank_request(request: HttpRequest) -> HttpRequest:
    """The same page asked for by nobody in particular: path, host and route, nothing else."""
    blank = HttpRequest()
    blank.method = "GET"
    blank.path, blank.path_info = request.path, request.path_info
    blank.META = {
        key: request.META[key]
        for key in ("SERVER_NAME", "SERVER_PORT", "HTTP_HOST", "wsgi.url_scheme")
        if key in request.META
    }
    blank.resolver_match = request.resolver_match
    blank.user = AnonymousUser()
    blank.LANGUAGE_CODE = translation.get_language()
    return blank


def _shell_key(template_name: str, request: HttpRequest, version: str) -> str:
    route = request.resolver_match.view_name if request.resolver_match else request.path
    parts = (template_name, translation.get_language(), route, timezone.localdate(), version)
    return "page-shell:" + hashlib.sha256(repr(parts).encode()).hexdigest()


def render_page(
    request: HttpRequest,
    template_name: str,
    context: Mapping[str, Any],
    *,
    version: str,
) -> HttpResponse:
    """The page, from its kept shell when there is one. `version` must change whenever what the
    page shows outside its marked parts changes (a hash of the rows it is drawn from, say); the
    view's `context` is only evaluated when the shell is rendered, so querysets in it stay lazy."""
    template = get_template(template_name)
    assert isinstance(template, BackendTemplate)  # noqa: S101  (the project's one engine)
    key = _shell_key(template_name, request, version)
    shell: str | None = cache.get(key)
    if shell is None:
        shell = template.render({**context, SHELL_FLAG: True}, _blank_request(request))
        cache.set(key, shell, timeout=KEPT_FOR_SECONDS)
    pieces = shell.split(_MARK)
    names = [piece.split("\x00", 1)[0] for piece in pieces[1:]]
    if any(name not in PARTS for name in names):  # a shell from before this process parsed it
        return HttpResponse(template.render(dict(context), request))
    page = make_context(dict(context), request)
    filled = [pieces[0]]
    with page.bind_template(template.template):
        for piece in pieces[1:]:
            name, rest = piece.split("\x00", 1)
            filled.append(str(PARTS[name].nodelist.render(page)))
            filled.append(rest)
    return HttpResponse("".join(filled))
