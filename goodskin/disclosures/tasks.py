"""Posting the business-transfer notice to every account holder, in batches, once each."""

from __future__ import annotations

from django.tasks import task
from django.utils import translation

from goodskin.accounts.models import User
from goodskin.communications.actions.notices import post_notice
from goodskin.core.context import Actor, acting_as
from goodskin.disclosures.models import Disclosure

BATCH = 500


@task
def notify_business_transfer(*, disclosure_id: int) -> None:
    disclosure = Disclosure.objects.select_related("recipient").get(pk=disclosure_id)
    last = 0
    with acting_as(Actor.system("disclosures")):
        while batch := list(
            User.objects.filter(is_active=True, pk__gt=last).order_by("pk")[:BATCH]
        ):
            for user in batch:
                with translation.override(user.preferred_language):
                    post_notice(
                        person=user.person,
                        kind="policy",
                        title=translation.gettext("Your information has a new owner"),
                        body=translation.gettext(
                            "GoodSkin Clinics' business has passed to %(name)s. Your information "
                            "went with it, and it stays under the privacy policy you agreed to: "
                            "the new owner may not use it in other ways without telling you first."
                        )
                        % {"name": disclosure.recipient.name},
                        link="/privacy/",
                        dedupe_key=f"business-transfer:{disclosure.pk}:{user.person_id}",
                    )
            last = batch[-1].pk
