"""`{% visitor "name" %}…{% endvisitor %}`: a part of a page that belongs to one visitor (see
goodskin/website/shell.py)."""

from __future__ import annotations

from django import template
from django.template.base import Parser, Token

from goodskin.website.shell import VisitorNode

# Which template each part's name belongs to: a name used twice would fill one with the other.
ORIGINS: dict[str, str] = {}

register = template.Library()


@register.tag("visitor")
def do_visitor(parser: Parser, token: Token) -> VisitorNode:
    bits = token.split_contents()
    if len(bits) != 2 or bits[1][0] not in "\"'" or bits[1][0] != bits[1][-1]:
        raise template.TemplateSyntaxError('Use {% visitor "name" %}…{% endvisitor %}')
    name = bits[1][1:-1]
    where = str(parser.origin.name) if parser.origin else ""
    if ORIGINS.setdefault(name, where) != where:
        raise template.TemplateSyntaxError(
            f'{{% visitor "{name}" %}} is already used in {ORIGINS[name]}: '
            "give this one its own name"
        )
    nodelist = parser.parse(("endvisitor",))
    parser.delete_first_token()
    return VisitorNode(name, nodelist)
