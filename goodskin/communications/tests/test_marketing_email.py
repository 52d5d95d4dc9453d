"""What a marketing email carries: RFC 8058 headers under a DKIM signature, a visible
unsubscribe link, the clinic's postal address, the reason it was sent, the reader's language."""

from __future__ import annotations

import base64
import re
from pathlib import Path

import dkim
import pytest
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from django.utils import timezone
from pytest_django.fixtures import Settings

from goodskin.communications.actions.campaigns import queue_campaign_batch, schedule_campaign
from goodskin.communications.checks import check_unsubscribe_links_are_https
from goodskin.communications.models import Message, Status
from goodskin.communications.tests.conftest import campaign, deliver, opted_in, person
from goodskin.core.smtp_sink import SmtpSink
from goodskin.vault.models import Person

pytestmark = pytest.mark.django_db


def send_offer_to(language: str = "en") -> None:
    opted_in(person("rosa@example.com"), "offers", language=language)
    offer = campaign()
    schedule_campaign(campaign=offer, send_at=timezone.now())
    queue_campaign_batch(campaign_id=offer.pk)
    deliver()


def test_a_marketing_email_carries_one_click_headers_and_comes_from_the_marketing_address(
    smtp_sink: SmtpSink,
) -> None:
    send_offer_to("en")

    [message] = smtp_sink.wait_for(1)
    assert message["From"] == "GoodSkin Clinics <news@goodskinclinics.com>"
    assert message["Subject"] == "Winter glow: 20% off facials"
    assert message["X-GoodSkin-Kind"] == "marketing"
    assert message["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    match = re.fullmatch(
        r"<http://testserver/unsubscribe/(?P<token>[^/>]+)/>, "
        r"<mailto:unsubscribe@goodskinclinics\.com\?subject=unsubscribe%20(?P<again>[^>]+)>",
        str(message["List-Unsubscribe"]),
    )
    assert match is not None
    assert match["token"] == match["again"]
    assert message["List-Id"] == "GoodSkin offers <offers.list.goodskinclinics.com>"


@pytest.mark.parametrize("language", ["en", "es"])
@pytest.mark.parametrize(
    "site",
    ["https://www.goodskinclinics.com", "https://goodskin-clinics.hosting-agency.example.com"],
)
def test_on_the_wire_the_unsubscribe_header_is_a_plain_https_link_mailbox_providers_can_read(
    smtp_sink: SmtpSink, settings: Settings, language: str, site: str
) -> None:
    settings.SITE_URL = site
    send_offer_to(language)

    [raw] = smtp_sink.raw
    head = raw.split(b"\r\n\r\n", 1)[0] + b"\r\n"
    match = re.search(
        rb"\r\nList-Unsubscribe: <(?P<https>[^<>\s]+)>,\r\n <mailto:(?P<mailto>[^<>\s]+)>\r\n", head
    )
    assert match is not None, head.decode()
    assert match["https"].startswith(f"{site}/unsubscribe/".encode())
    assert match["mailto"].startswith(b"unsubscribe@goodskinclinics.com?subject=unsubscribe%20")
    assert b"\r\nList-Unsubscribe-Post: List-Unsubscribe=One-Click\r\n" in head
    assert head.count(b"List-Unsubscribe:") == 1
    assert b"=?" not in match.group(0)  # no RFC 2047 encoded-word anywhere in the header


def test_the_body_shows_the_unsubscribe_link_the_reason_and_the_postal_address(
    smtp_sink: SmtpSink,
) -> None:
    send_offer_to("en")

    [message] = smtp_sink.wait_for(1)
    text = message.get_body(preferencelist=("plain",)).get_content().replace("\r\n", "\n")  # type: ignore[union-attr]  # present
    html = message.get_body(preferencelist=("html",)).get_content()  # type: ignore[union-attr]  # present
    token = re.search(r"/unsubscribe/([^/>]+)/", message["List-Unsubscribe"]).group(1)  # type: ignore[union-attr]  # matched above
    assert f"http://testserver/unsubscribe/{token}/" in text
    assert (
        f'<a href="http://testserver/unsubscribe/{token}/" '
        'style="color:#164643;font-weight:bold;">Unsubscribe</a>' in html
    )
    assert "You get this because you asked for “Offers and events” from GoodSkin Clinics." in text
    assert "11760 San Vicente Blvd\nLos Angeles, CA 90049" in text
    assert "Messages about your account, appointments and privacy requests still reach you." in text
    assert "Cold air dries skin.\n\nBook a hydrating facial before 31 December." in text


def test_a_spanish_reader_gets_the_spanish_text_and_footer(smtp_sink: SmtpSink) -> None:
    send_offer_to("es")

    [message] = smtp_sink.wait_for(1)
    text = message.get_body(preferencelist=("plain",)).get_content().replace("\r\n", "\n")  # type: ignore[union-attr]  # present
    assert message["Subject"] == "Brillo de invierno: 20% en faciales"
    assert "El aire frío reseca la piel." in text
    assert "Ofertas y eventos" in text
    assert "Darse de baja" in message.get_body(preferencelist=("html",)).get_content()  # type: ignore[union-attr]  # present


def test_with_a_signing_key_the_dkim_signature_covers_the_unsubscribe_headers_and_verifies(
    smtp_sink: SmtpSink, settings: Settings, tmp_path: Path
) -> None:
    private = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    key_file = tmp_path / "dkim.pem"
    key_file.write_bytes(
        private.private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.TraditionalOpenSSL,
            serialization.NoEncryption(),
        )
    )
    settings.DKIM_DOMAIN = "goodskinclinics.com"
    settings.DKIM_SELECTOR = "mail2026"
    settings.DKIM_PRIVATE_KEY_FILE = str(key_file)
    public = private.public_key().public_bytes(
        serialization.Encoding.DER, serialization.PublicFormat.SubjectPublicKeyInfo
    )
    dns_record = b"v=DKIM1; k=rsa; p=" + base64.b64encode(public)

    send_offer_to("en")

    [raw] = smtp_sink.raw
    signature = smtp_sink.messages[0]["DKIM-Signature"]
    signed = re.search(r"h=([^;]+)", signature.replace("\r\n", "").replace(" ", "")).group(1)  # type: ignore[union-attr]  # present
    assert {"list-unsubscribe", "list-unsubscribe-post", "from", "subject"} <= set(
        signed.lower().split(":")
    )
    assert "d=goodskinclinics.com" in signature.replace(" ", "")

    def dns(name: bytes, timeout: int = 5) -> bytes:
        assert name == b"mail2026._domainkey.goodskinclinics.com."
        return dns_record

    assert dkim.verify(raw, dnsfunc=dns) is True
    tampered = raw.replace(
        b"List-Unsubscribe-Post: List-Unsubscribe=One-Click",
        b"List-Unsubscribe-Post: List-Unsubscribe=Two-Click",
    )
    assert dkim.verify(tampered, dnsfunc=dns) is False


def test_a_deployment_without_https_links_is_warned_about(settings: Settings) -> None:
    settings.SITE_URL = "http://www.goodskinclinics.com"
    [warning] = check_unsubscribe_links_are_https()
    assert warning.id == "communications.W001"
    settings.SITE_URL = "https://www.goodskinclinics.com"
    assert check_unsubscribe_links_are_https() == []


def test_marketing_queued_before_an_address_lost_its_verification_is_not_sent_to_it(
    smtp_sink: SmtpSink,
) -> None:
    """Queued while verified; the address changed (and so is unverified) before the worker ran:
    the message is held back at the moment of sending, not by the audience query alone."""
    rosa = opted_in(person("rosa@example.com"), "offers")
    ana = opted_in(person("ana@example.com"), "offers")
    offer = campaign()
    schedule_campaign(campaign=offer, send_at=timezone.now())
    queue_campaign_batch(campaign_id=offer.pk)
    Person.objects.filter(pk=rosa.pk).update(email_verified_at=None)

    deliver()

    assert [message["To"] for message in smtp_sink.messages] == ["ana@example.com"]
    held = Message.objects.get(person=rosa)
    assert (held.status, held.last_error) == (
        Status.SUPPRESSED,
        "The address has not been verified",
    )
    assert Message.objects.get(person=ana).status == Status.SENT
