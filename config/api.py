"""The REST API, assembled from each app's router."""

from django.http import HttpRequest, HttpResponse
from ninja import NinjaAPI
from ninja.errors import ValidationError

from goodskin.communications.api import router as communications_router
from goodskin.consent.api import router as consent_router
from goodskin.core.schemas import explain
from goodskin.policies.api import router as policies_router
from goodskin.rights.api import router as rights_router
from goodskin.tracking.api import router as tracking_router
from goodskin.website.api import router as website_router

api = NinjaAPI(
    title="GoodSkin API",
    version="1",
    description="GoodSkin Clinics: public clinic information, privacy rights and records.",
    urls_namespace="api",
)
api.add_router("/", website_router)
api.add_router("/", consent_router)
api.add_router("/", tracking_router)
api.add_router("/", communications_router)
api.add_router("/", policies_router)
api.add_router("/", rights_router)


@api.exception_handler(ValidationError)
def refuse_invalid_input(request: HttpRequest, error: ValidationError) -> HttpResponse:
    """Every endpoint answers bad input with 400 and one sentence naming the field, the status its
    OpenAPI entry documents; never ninja's 422 list, which repeats the values sent."""
    return api.create_response(request, {"detail": explain(error.errors)}, status=400)
