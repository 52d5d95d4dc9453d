"""A campaign's progress as one stacked SVG bar: pure geometry, no database."""

from __future__ import annotations

from dataclasses import dataclass

from goodskin.communications.queries import CampaignProgress

WIDTH = 600


@dataclass(frozen=True)
class Segment:
    label: str
    count: int
    x: float
    width: float
    colour: str


def progress_bar(progress: CampaignProgress) -> list[Segment]:
    parts = [
        ("Sent", progress.sent, "#1f5f5b"),
        ("Not sent: opted out", progress.suppressed, "#c99a2e"),
        ("Failed", progress.failed, "#b3261e"),
        ("Cancelled", progress.cancelled, "#8a8f8c"),
        ("Interrupted", progress.in_doubt, "#7b3fa0"),
        ("Waiting", progress.waiting, "#cfe0dd"),
    ]
    total = max(progress.audience, sum(count for _, count, _ in parts), 1)
    segments, x = [], 0.0
    for label, count, colour in parts:
        width = WIDTH * count / total
        segments.append(Segment(label, count, round(x, 2), round(width, 2), colour))
        x += width
    return segments
