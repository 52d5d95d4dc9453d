"""The base of every API input schema, and the one way an API says what was wrong with one.

Text a person sends may hold line breaks and tabs, never NUL or other control characters: nobody
types them, PostgreSQL cannot store NUL, and they hide things from the people who read the text
later. The refusal names the field and never repeats what was sent.
"""

from __future__ import annotations

import re
from typing import Any

from django.http import HttpRequest
from ninja import Schema
from ninja.parser import Parser
from pydantic import ValidationError, field_validator

# Every control character but line breaks and tabs; one compiled search reads the text in C.
_CONTROL_CHARACTER = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


def has_control_character(text: str) -> bool:
    return _CONTROL_CHARACTER.search(text) is not None


class InputSchema(Schema):
    @field_validator("*", mode="after")
    @classmethod
    def _no_control_characters(cls, value: Any) -> Any:
        if isinstance(value, str) and has_control_character(value):
            raise ValueError("must not contain control characters such as NUL")
        return value


def explain(errors: list[dict[str, Any]]) -> str:
    """`field.path: what is wrong` for the first error, in words, without the value sent."""
    first = errors[0]
    location = [str(part) for part in first.get("loc", ())]
    if location[:1] == ["body"] and len(location) > 2:
        location = location[2:]  # ("body", <parameter name>, field, ...): the field is what matters
    elif location[:1] in (["body"], ["query"], ["path"], ["header"], ["cookie"]):
        location = location[1:]
    where = ".".join(location)
    kind = first.get("type", "")
    if kind == "missing":
        message = "is required"
    elif kind in {"json_invalid", "model_attributes_type", "dict_type", "model_type"}:
        message = "the body must be a JSON object"
    elif kind == "literal_error" or kind == "enum":
        expected = str(first.get("ctx", {}).get("expected", ""))
        if not expected or expected.count(",") > 10:
            message = "not one of the allowed values listed at /api/v1/docs"
        else:
            message = f"use one of {expected}"
    else:
        message = str(first.get("msg", "is not valid")).removeprefix("Value error, ")
    return f"{where}: {message}" if where else message


def explain_validation(error: ValidationError) -> str:
    return explain(error.errors(include_input=False))  # type: ignore[arg-type]  # ErrorDetails is a TypedDict


def inline_schema(model: type[Schema]) -> dict[str, Any]:
    """The model's JSON schema with every `$ref` replaced by what it names, for an OpenAPI entry
    that documents a body the endpoint reads itself (pydantic's `#/$defs/…` refs point nowhere
    once the schema sits inside the OpenAPI document)."""
    schema = model.model_json_schema()
    definitions = schema.pop("$defs", {})

    def resolve(node: Any) -> Any:
        if isinstance(node, dict):
            reference = node.get("$ref", "")
            if reference.startswith("#/$defs/"):
                return resolve(definitions[reference.removeprefix("#/$defs/")])
            return {key: resolve(value) for key, value in node.items()}
        if isinstance(node, list):
            return [resolve(item) for item in node]
        return node

    resolved: dict[str, Any] = resolve(schema)
    return resolved


JSON_ONLY = "Send the body as JSON, with Content-Type: application/json."


def sent_as_json(request: HttpRequest) -> bool:
    """The API reads bodies only as JSON. Another site's page can post text/plain or a form to us
    from a visitor's browser without asking the browser first; it cannot post application/json
    without a CORS preflight we never grant, so insisting on JSON closes that door."""
    content_type = request.content_type or ""
    return content_type == "application/json" or content_type.endswith("+json")


class UnsupportedBody(ValueError):
    """A body that is not JSON: answered 415 (see config/api.py)."""


class JsonOnlyParser(Parser):
    def parse_body(self, request: HttpRequest) -> dict[str, Any]:
        if not sent_as_json(request):
            raise UnsupportedBody(JSON_ONLY)
        return super().parse_body(request)
