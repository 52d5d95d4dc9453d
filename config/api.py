"""The REST API, assembled from each app's router.

Two things hold for every operation, so they live here rather than in each endpoint: bad input is a
400 with one sentence naming the field (never ninja's 422 list, which repeats the values sent), and
a body that is not JSON is a 415. The OpenAPI document says so for every operation it applies to,
so the document and the API cannot drift apart (schemathesis checks them against each other).
"""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest, HttpResponse
from ninja import NinjaAPI
from ninja.errors import HttpError, ValidationError

from goodskin.communications.api import router as communications_router
from goodskin.compliance.api import router as compliance_router
from goodskin.consent.api import router as consent_router
from goodskin.core.schemas import JSON_ONLY, JsonOnlyParser, UnsupportedBody, explain
from goodskin.jurisdictions.api import router as jurisdictions_router
from goodskin.policies.api import router as policies_router
from goodskin.rights.api import router as rights_router
from goodskin.tracking.api import router as tracking_router
from goodskin.website.api import router as website_router

ERROR_BODY = {
    "description": "What was wrong, in one sentence",
    "content": {
        "application/json": {
            "schema": {
                "type": "object",
                "properties": {"detail": {"type": "string"}},
                "required": ["detail"],
            }
        }
    },
}


class GoodSkinAPI(NinjaAPI):
    def get_openapi_schema(self, **kwargs: Any) -> Any:
        document = super().get_openapi_schema(**kwargs)
        for operations in document.get("paths", {}).values():
            for operation in operations.values():
                responses = operation.setdefault("responses", {})
                if operation.get("parameters") or operation.get("requestBody"):
                    responses.setdefault("400", ERROR_BODY)
                if operation.get("requestBody"):
                    responses.setdefault("415", ERROR_BODY | {"description": JSON_ONLY})
        return document


api = GoodSkinAPI(
    title="GoodSkin API",
    version="1",
    description="GoodSkin Clinics: public clinic information, privacy rights and records.",
    urls_namespace="api",
    parser=JsonOnlyParser(),
)
api.add_router("/", website_router)
api.add_router("/", consent_router)
api.add_router("/", tracking_router)
api.add_router("/", communications_router)
api.add_router("/", jurisdictions_router)
api.add_router("/", policies_router)
api.add_router("/", rights_router)
api.add_router("/", compliance_router)


@api.exception_handler(ValidationError)
def refuse_invalid_input(request: HttpRequest, error: ValidationError) -> HttpResponse:
    """Every endpoint answers bad input with 400 and one sentence naming the field, the status its
    OpenAPI entry documents; never ninja's 422 list, which repeats the values sent."""
    return api.create_response(request, {"detail": explain(error.errors)}, status=400)


@api.exception_handler(HttpError)
def refuse_unreadable_body(request: HttpRequest, error: HttpError) -> HttpResponse:
    if isinstance(error.__cause__, UnsupportedBody):
        return api.create_response(request, {"detail": JSON_ONLY}, status=415)
    return api.create_response(request, {"detail": str(error)}, status=error.status_code)
