from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from goodskin.communications import inbound
from goodskin.communications.actions import choices, outbox
from goodskin.communications.models import Message, Source
from goodskin.communications.tokens import BadLink, read_unsubscribe_token
from goodskin.core.context import Actor, acting_as


class Command(BaseCommand):
    # The capability of the staff an operator stands in for when running it (core/doors.py).
    capability = "communications.release_message"
    help = (
        "Act on mail sent back to us: unsubscribe requests to the List-Unsubscribe mailbox and "
        "bounce reports. Give .eml files (for example from a maildir); each is handled once "
        "and repeating a file changes nothing."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("files", nargs="+", type=Path)

    def handle(self, *args: Any, files: list[Path], **options: Any) -> None:
        missing = [str(path) for path in files if not path.is_file()]
        if missing:
            raise CommandError(f"no such file: {missing[0]}")
        counts = {"unsubscribed": 0, "bounced": 0, "ignored": 0}
        with acting_as(Actor.system("inbound-mail")):
            for path in files:
                counts[self._handle_one(path.read_bytes())] += 1
        self.stdout.write(", ".join(f"{count} {name}" for name, count in counts.items()))

    def _handle_one(self, raw: bytes) -> str:
        request = inbound.read(raw)
        if isinstance(request, inbound.Bounce):
            message = Message.objects.filter(message_id=request.message_id).first()
            if message is None:
                return "ignored"
            outbox.record_bounce_after_delivery(message=message, permanent=request.permanent)
            return "bounced" if request.permanent else "ignored"
        if isinstance(request, inbound.UnsubscribeRequest):
            if request.token is not None:
                try:
                    link = read_unsubscribe_token(request.token)
                except BadLink:
                    link = None
                if link is not None:
                    choices.unsubscribe_by_link(link=link, source=Source.MAIL, everything=False)
                    return "unsubscribed"
            if request.sender:
                choices.record_opt_out_for_address(email=request.sender, source=Source.MAIL)
                return "unsubscribed"
        return "ignored"
