"""The public site: every page renders in both languages, carries the legally required links,
loads nothing from another origin, and is served with the security headers."""

from __future__ import annotations

import re
from io import StringIO

import pytest
from django.core.management import call_command
from django.test import Client

from goodskin.accounts.models import User
from goodskin.tracking.models import PageEvent
from goodskin.website.models import Clinic, Service, TeamMember

pytestmark = pytest.mark.django_db
PUBLIC_PAGES = [
    "/",
    "/services/",
    "/team/",
    "/clinics/",
    "/contact/",
    "/consultation/",
    "/privacy/",
    "/privacy/choices/",
    "/privacy/state-notice/",
    "/accounts/register/",
    "/accounts/login/",
    "/accounts/password/reset/",
]
FOOTER_LINKS = {
    'href="/privacy/"': "Privacy Policy",
    'href="/privacy/choices/"': "Your Privacy Choices",
    'href="/privacy/state-notice/"': "State Privacy Notice",
    'href="mailto:info@goodskinclinics.com"': "info@goodskinclinics.com",
}


@pytest.fixture
def demo() -> None:
    call_command("load_demo_data", "--no-staff", stdout=StringIO())


@pytest.mark.usefixtures("demo")
@pytest.mark.parametrize("path", PUBLIC_PAGES)
def test_public_page_renders_with_the_privacy_footer(client: Client, path: str) -> None:
    response = client.get(path)
    assert response.status_code == 200
    html = response.content.decode()
    for link, label in FOOTER_LINKS.items():
        assert link in html, f"{path} lacks the footer link to {label}"
    assert '<html lang="en">' in html


@pytest.mark.usefixtures("demo")
@pytest.mark.parametrize("path", PUBLIC_PAGES)
def test_public_page_loads_nothing_from_another_origin(client: Client, path: str) -> None:
    html = client.get(path).content.decode()
    sources = re.findall(r'(?:src|href|action)="([^"]+)"', html)
    foreign = [source for source in sources if re.match(r"^(https?:)?//", source)]
    assert foreign == []


@pytest.mark.usefixtures("demo")
def test_home_page_in_spanish_after_switching_language(client: Client) -> None:
    response = client.post("/language/", {"language": "es", "next": "/services/"})
    assert response["Location"] == "/services/"
    page = client.get("/services/").content.decode()
    assert '<html lang="es">' in page
    assert "Tratamientos" in page
    assert "Relajantes de arrugas" in page
    assert "Política de privacidad" in page
    assert "Sus opciones de privacidad" in page


@pytest.mark.usefixtures("demo")
def test_clinics_page_shows_the_addresses_and_hours(client: Client) -> None:
    html = client.get("/clinics/").content.decode()
    assert "11760 San Vicente Blvd" in html
    assert "Los Angeles, CA 90049" in html
    assert "Monday–Friday 9:00 am – 7:00 pm" in html
    assert "3320 Sunset Blvd, Suite 4" in html
    assert 'href="tel:+13105550142"' in html


def test_every_page_carries_the_security_headers(client: Client) -> None:
    response = client.get("/")
    assert response["Content-Security-Policy"] == (
        "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
        "font-src 'self'; connect-src 'self'; form-action 'self'; frame-ancestors 'none'; "
        "base-uri 'none'; object-src 'none'"
    )
    assert "unsafe-inline" not in response["Content-Security-Policy"]
    assert response["Referrer-Policy"] == "strict-origin-when-cross-origin"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["X-Frame-Options"] == "DENY"
    assert "camera=()" in response["Permissions-Policy"]
    assert len(response["X-Request-Id"]) == 32


def test_unknown_page_is_a_friendly_404(client: Client) -> None:
    response = client.get("/no-such-page/")
    assert response.status_code == 404


def test_demo_data_loads_twice_without_duplicates() -> None:
    call_command("load_demo_data", stdout=StringIO())
    call_command("load_demo_data", stdout=StringIO())
    assert (Clinic.objects.count(), Service.objects.count(), TeamMember.objects.count()) == (
        2,
        7,
        4,
    )
    assert User.objects.filter(is_staff=True).count() == 1
    assert Clinic.objects.filter(street="11760 San Vicente Blvd").count() == 1


@pytest.mark.usefixtures("demo")
def test_api_lists_the_clinics(client: Client) -> None:
    response = client.get("/api/v1/clinics")
    assert response.status_code == 200
    [brentwood, silver_lake] = response.json()
    assert brentwood["street"] == "11760 San Vicente Blvd"
    assert brentwood["hours"][0] == "Monday–Friday 9:00 am – 7:00 pm"
    assert silver_lake["slug"] == "silver-lake"


def test_api_docs_are_served_from_our_own_static_files(client: Client) -> None:
    html = client.get("/api/v1/docs").content.decode()
    assert "/static/ninja/swagger-ui-bundle.js" in html
    assert "cdn" not in html.lower()
    assert client.get("/api/v1/openapi.json").json()["info"]["title"] == "GoodSkin API"


def test_form_sent_without_its_security_token_is_refused_with_a_clear_page() -> None:
    client = Client(enforce_csrf_checks=True)
    response = client.post("/accounts/password/reset/", {"email": "rosa@example.com"})
    assert response.status_code == 403
    assert "Please try that again" in response.content.decode()
    assert "Nothing you sent was saved." in response.content.decode()


@pytest.mark.usefixtures("demo")
def test_nearest_clinic_is_found_from_a_coarse_position_and_nothing_is_kept(client: Client) -> None:
    response = client.post(
        "/api/v1/clinics/nearest",
        {"lat": 34.0907, "lon": -118.2801},
        content_type="application/json",
    )
    assert response.status_code == 200
    assert response.json() == {
        "slug": "silver-lake",
        "name": "GoodSkin Silver Lake",
        "distance_km": 0.5,
    }
    assert response["Cache-Control"] == "no-store"
    westside = client.post(
        "/api/v1/clinics/nearest", {"lat": 34.05, "lon": -118.47}, content_type="application/json"
    )
    assert westside.json()["slug"] == "brentwood"
    assert PageEvent.objects.count() == 0


@pytest.mark.usefixtures("demo")
def test_an_impossible_position_is_refused(client: Client) -> None:
    response = client.post(
        "/api/v1/clinics/nearest", {"lat": 134.0, "lon": -118.2}, content_type="application/json"
    )
    assert response.status_code == 400
    assert response.json() == {"detail": "lat: Input should be less than or equal to 90"}


@pytest.mark.usefixtures("demo")
@pytest.mark.parametrize("latitude", [True, "34.05", None])
def test_a_coordinate_must_be_a_number(client: Client, latitude: object) -> None:
    response = client.post(
        "/api/v1/clinics/nearest", {"lat": latitude, "lon": -118.2}, content_type="application/json"
    )
    assert response.status_code == 400
    assert response.json()["detail"].startswith("lat: Input should be a valid number")
