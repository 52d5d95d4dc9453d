"""Server-drawn SVG charts: no chart library, no script, nothing from another origin."""

from __future__ import annotations

from dataclasses import dataclass

from goodskin.tracking.queries import Day

WIDTH, HEIGHT, PAD = 720, 220, 28


@dataclass(frozen=True)
class Bar:
    x: float
    y: float
    width: float
    height: float
    label: str


@dataclass(frozen=True)
class DailyChart:
    bars: list[Bar]
    line: str  # SVG points for the visitors line
    peak: int
    first: str
    last: str
    width: int = WIDTH
    height: int = HEIGHT


def daily_chart(days: list[Day]) -> DailyChart:
    peak = max([day.views for day in days] + [1])
    slot = (WIDTH - 2 * PAD) / max(len(days), 1)
    scale = (HEIGHT - 2 * PAD) / peak
    bars, points = [], []
    for index, day in enumerate(days):
        x = PAD + index * slot
        height = day.views * scale
        bars.append(
            Bar(
                x=round(x + slot * 0.15, 2),
                y=round(HEIGHT - PAD - height, 2),
                width=round(max(slot * 0.7, 1), 2),
                height=round(height, 2),
                label=f"{day.day.isoformat()}: {day.views} page views, {day.visitors} visitors",
            )
        )
        points.append(f"{round(x + slot / 2, 2)},{round(HEIGHT - PAD - day.visitors * scale, 2)}")
    return DailyChart(
        bars=bars,
        line=" ".join(points),
        peak=peak,
        first=days[0].day.isoformat() if days else "",
        last=days[-1].day.isoformat() if days else "",
    )


def share_bars(rows: list[tuple[str, int]]) -> list[tuple[str, int, int]]:
    """(label, count, percent of the largest) for horizontal bar lists."""
    largest = max([count for _, count in rows] + [1])
    return [(label, count, round(100 * count / largest)) for label, count in rows]
