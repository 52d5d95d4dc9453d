"""The REST API, assembled from each app's router."""

from ninja import NinjaAPI

from goodskin.communications.api import router as communications_router
from goodskin.consent.api import router as consent_router
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
