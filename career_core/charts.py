"""Inline SVG charts drawn in pure Python: bullet bars, a line over time and a progress bar, with table views.

Widths are percentages of the container and text sizes are CSS pixels, so a chart fills a 390 px phone and a
1366 px screen alike without its text shrinking (a scaled viewBox would draw 14 px text at 9 px on a phone).
Output is deterministic and accessible (``role="img"``, a title and a description holding every value, and a
``<table>`` of the same numbers), uses no JavaScript and no inline style (the pages' CSP forbids it), and
escapes every piece of text, so a skill named ``<script>`` is shown, never run.
"""

from __future__ import annotations

import hashlib
import math
import re
from collections.abc import Sequence
from dataclasses import dataclass
from xml.sax.saxutils import escape

# Okabe-Ito colours stay distinguishable for the common forms of colour blindness. They are presentation
# attributes, so a page's CSS can override them.
PALETTE: tuple[str, ...] = ("#0072B2", "#E69F00", "#009E73", "#CC79A7", "#D55E00", "#56B4E9")
VALUE_COLOUR = "#0072B2"
TARGET_COLOUR = "#B34700"  # a darker vermillion: 4.9:1 on white, so the marker reads as clearly as text
GAP_COLOUR = "#E69F00"
TRACK_COLOUR = "#EDEFF3"
GRID_COLOUR = "#C9CED6"

FONT_SIZE = 14  # CSS px: never scaled, so never below 12 px on a phone
SMALL_FONT_SIZE = 13
MAX_LABEL_CHARS = 40  # ~300 px at 14 px: fits a 390 px phone with the page's margins
BAR_SHARE = 72.0  # percent of the width for bars; the rest holds the numbers
LEGEND_HEIGHT = 26
AXIS_HEIGHT = 22
ROW_HEIGHT = 48
PLOT_HEIGHT = 168
PLOT_LEFT = 7.0  # percent: room for the level numbers
PLOT_RIGHT = 96.0
LEGEND_FITS = 320.0  # px: what a 390 px phone leaves a chart after the page's margins
MAX_TIME_LABELS = 3  # three dates fit side by side on a phone
_CSS_CLASS = re.compile(r"^[A-Za-z_][A-Za-z0-9_-]*$")
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")


@dataclass(frozen=True)
class BulletRow:
    """One bar: ``value`` (None when not rated) against an optional ``target``, both on 0..scale max."""

    label: str
    value: float | None
    target: float | None = None


@dataclass(frozen=True)
class BulletLegend:
    value: str = "You"
    target: str = "Role needs"
    gap: str = "To grow"
    not_rated: str = "not rated"


@dataclass(frozen=True)
class TimePoint:
    """One point of a line over time: its x label (a date) and its value."""

    label: str
    value: float


def bullet_chart_svg(
    rows: Sequence[BulletRow],
    *,
    scale_max: float,
    title: str,
    legend: BulletLegend = BulletLegend(),
    chart_id: str | None = None,
) -> str:
    """Horizontal bars, one per row in the order given: the value as a filled bar, the target as a marker
    and the shortfall between them shaded; the numbers at the right end of each bar.

    :raise ValueError: on a non-positive scale or a value that is not a finite number.
    """
    _check_scale(scale_max)
    for row in rows:
        _check_values(row.label, (row.value, row.target))
    with_target = any(row.target is not None for row in rows)
    ident = chart_id or _content_id("bars", title, [(r.label, r.value, r.target) for r in rows])
    legend_height = _legend_height(legend, with_target)
    height = legend_height + AXIS_HEIGHT + ROW_HEIGHT * len(rows) + 4
    parts = [
        _open_svg("ct-bars", ident, height),
        f'<title id="{ident}-title">{_text(title)}</title>',
        f'<desc id="{ident}-desc">{_text(_describe_bullets(rows, legend))}</desc>',
        _bullet_legend(legend, with_target),
        _scale_axis(scale_max, legend_height, height),
    ]
    for index, row in enumerate(rows):
        parts.append(_bullet_row(row, legend_height + AXIS_HEIGHT + ROW_HEIGHT * index, scale_max))
    parts.append("</svg>")
    return "".join(parts)


def _bullet_legend(legend: BulletLegend, with_target: bool) -> str:
    """Swatches side by side while they fit a phone's width (by an estimate of the text widths), else stacked."""
    items = [
        (f'<rect x="0" y="6" width="14" height="14" fill="{VALUE_COLOUR}"/>', legend.value),
    ]
    if with_target:
        items.append((f'<line x1="3" y1="4" x2="3" y2="22" stroke="{TARGET_COLOUR}" stroke-width="4"/>', legend.target))
        items.append(
            (f'<rect x="0" y="6" width="14" height="14" fill="{GAP_COLOUR}" fill-opacity="0.55"/>', legend.gap)
        )
    widths = [20 + _text_width(label, FONT_SIZE) + 24 for _swatch, label in items]
    side_by_side = sum(widths) <= LEGEND_FITS
    parts = []
    x = y = 0.0
    for (swatch, label), width in zip(items, widths, strict=True):
        parts.append(f'<g transform="translate({_n(x)},{_n(y)})">{swatch}<text x="20" y="18">{_text(label)}</text></g>')
        if side_by_side:
            x += width
        else:
            y += LEGEND_HEIGHT
    return f'<g class="ct-legend" font-size="{FONT_SIZE}" fill="currentColor">{"".join(parts)}</g>'


def _legend_height(legend: BulletLegend, with_target: bool) -> float:
    labels = [legend.value] + ([legend.target, legend.gap] if with_target else [])
    fits = sum(20 + _text_width(label, FONT_SIZE) + 24 for label in labels) <= LEGEND_FITS
    return LEGEND_HEIGHT if fits else LEGEND_HEIGHT * len(labels)


def _text_width(text: str, size: float) -> float:
    """A generous estimate of a text's width in px (0.6 em a character): layout decisions err on the safe side."""
    return len(text) * size * 0.6


def _scale_axis(scale_max: float, top: float, height: float) -> str:
    """The whole levels along the top and a faint grid line at each, down through every bar."""
    parts = [f'<g class="ct-axis" font-size="{SMALL_FONT_SIZE}" fill="currentColor" aria-hidden="true">']
    steps = math.floor(scale_max)
    for level in range(steps + 1):
        x = _pct(level / scale_max * BAR_SHARE)
        anchor = "start" if level == 0 else ("end" if level == steps and level == scale_max else "middle")
        parts.append(f'<text x="{x}" y="{_n(top + 15)}" text-anchor="{anchor}">{level}</text>')
        parts.append(
            f'<line x1="{x}" x2="{x}" y1="{_n(top + AXIS_HEIGHT)}" y2="{_n(height - 4)}" '
            f'stroke="{GRID_COLOUR}" stroke-width="1" stroke-dasharray="2 3"/>'
        )
    parts.append("</g>")
    return "".join(parts)


def _bullet_row(row: BulletRow, top: float, scale_max: float) -> str:
    bar_top, bar_height = top + 24, 14.0
    shown = _shorten(row.label)
    label_title = f"<title>{_text(row.label)}</title>" if shown != row.label else ""
    parts = [
        '<g class="ct-row">',
        f'<text class="ct-label" x="0" y="{_n(top + 17)}" font-size="{FONT_SIZE}" fill="currentColor">'
        f"{label_title}{_text(shown)}</text>",
        f'<rect class="ct-track" x="0" y="{_n(bar_top)}" width="{_pct(BAR_SHARE)}" height="{_n(bar_height)}" '
        f'fill="{TRACK_COLOUR}"/>',
    ]
    value = _clamp(row.value, scale_max)
    target = _clamp(row.target, scale_max)
    if value is not None and value > 0:
        parts.append(
            f'<rect class="ct-value" x="0" y="{_n(bar_top)}" width="{_pct(value / scale_max * BAR_SHARE)}" '
            f'height="{_n(bar_height)}" fill="{VALUE_COLOUR}"/>'
        )
    if target is not None:
        start = value or 0.0
        if target > start:
            parts.append(
                f'<rect class="ct-gap" x="{_pct(start / scale_max * BAR_SHARE)}" y="{_n(bar_top)}" '
                f'width="{_pct((target - start) / scale_max * BAR_SHARE)}" height="{_n(bar_height)}" '
                f'fill="{GAP_COLOUR}" fill-opacity="0.55"/>'
            )
        x = _pct(target / scale_max * BAR_SHARE)
        parts.append(
            f'<line class="ct-target" x1="{x}" x2="{x}" y1="{_n(bar_top - 4)}" y2="{_n(bar_top + bar_height + 4)}" '
            f'stroke="{TARGET_COLOUR}" stroke-width="4"/>'
        )
    numbers = _level(row.value) if row.value is not None else "\u2013"
    if row.target is not None:
        numbers += " \u2192 " + _level(row.target)
    # Right after the track (a nested viewport adds px to a percentage), so the eye need not travel.
    parts.append(
        f'<svg x="{_pct(BAR_SHARE)}" y="{_n(bar_top)}" width="{_pct(100 - BAR_SHARE)}" height="{_n(bar_height)}" '
        f'overflow="visible"><text class="ct-numbers" x="10" y="12" font-size="{FONT_SIZE}" '
        f'fill="currentColor">{_text(numbers)}</text></svg></g>'
    )
    return "".join(parts)


def _describe_bullets(rows: Sequence[BulletRow], legend: BulletLegend) -> str:
    if not rows:
        return "No values."
    lines = []
    for row in rows:
        reading = (
            f"{legend.value} {_level(row.value)}" if row.value is not None else f"{legend.value} {legend.not_rated}"
        )
        if row.target is not None:
            reading += f", {legend.target} {_level(row.target)}"
        lines.append(f"{row.label}: {reading}")
    return "; ".join(lines) + "."


def line_chart_svg(
    points: Sequence[TimePoint],
    *,
    scale_max: float,
    title: str,
    value_name: str,
    reference: float | None = None,
    reference_name: str = "",
    chart_id: str | None = None,
) -> str:
    """A line through ``points`` (oldest first, evenly spaced) on 0..scale max, with an optional dashed
    ``reference`` level; at most three x labels (first, middle, last), so dates never collide.

    :raise ValueError: on no points, a non-positive scale or a value that is not a finite number.
    """
    _check_scale(scale_max)
    if not points:
        raise ValueError("a line chart needs at least one point")
    for point in points:
        _check_values(point.label, (point.value,))
    _check_values(reference_name, (reference,))
    ident = chart_id or _content_id("line", title, [(p.label, p.value) for p in points], reference)
    top = LEGEND_HEIGHT + 8.0
    height = top + PLOT_HEIGHT + 30

    def y_of(value: float) -> float:
        return top + PLOT_HEIGHT * (1 - min(max(value, 0.0), scale_max) / scale_max)

    def x_of(index: int) -> float:
        if len(points) == 1:
            return (PLOT_LEFT + PLOT_RIGHT) / 2
        return PLOT_LEFT + (PLOT_RIGHT - PLOT_LEFT) * index / (len(points) - 1)

    legend = [f'<circle cx="7" cy="13" r="5" fill="{VALUE_COLOUR}"/><text x="18" y="18">{_text(value_name)}</text>']
    if reference is not None:
        # Beside the first item when both fit a phone's width, else under it (the chart grows by a row).
        reference_text = f"{reference_name} {_level(reference)}"
        beside = 18 + _text_width(value_name, FONT_SIZE) + 24
        below = 0.0
        if beside + 28 + _text_width(reference_text, FONT_SIZE) > LEGEND_FITS:
            beside, below = 0.0, LEGEND_HEIGHT
            top, height = top + LEGEND_HEIGHT, height + LEGEND_HEIGHT
        legend.append(
            f'<g transform="translate({_n(beside)},{_n(below)})">'
            f'<line x1="0" x2="22" y1="13" y2="13" stroke="{TARGET_COLOUR}" stroke-width="3" stroke-dasharray="6 4"/>'
            f'<text x="28" y="18">{_text(reference_text)}</text></g>'
        )
    parts = [
        _open_svg("ct-line", ident, height),
        f'<title id="{ident}-title">{_text(title)}</title>',
        f'<desc id="{ident}-desc">{_text(_describe_line(points, value_name, reference, reference_name))}</desc>',
        f'<g class="ct-legend" font-size="{FONT_SIZE}" fill="currentColor">{"".join(legend)}</g>',
        f'<g class="ct-axis" font-size="{SMALL_FONT_SIZE}" fill="currentColor" aria-hidden="true">',
    ]
    for level in range(math.floor(scale_max) + 1):
        y = _n(y_of(level))
        parts.append(
            f'<line x1="{_pct(PLOT_LEFT)}" x2="{_pct(PLOT_RIGHT)}" y1="{y}" y2="{y}" stroke="{GRID_COLOUR}" '
            'stroke-width="1"/>'
            f'<text x="0" y="{_n(y_of(level) + 4.5)}">{level}</text>'
        )
    for index in _label_indexes(len(points)):
        anchor = "middle"
        if len(points) > 1 and index == 0:
            anchor = "start"
        elif len(points) > 1 and index == len(points) - 1:
            anchor = "end"
        x = x_of(index) + (-1.5 if anchor == "start" else 1.5 if anchor == "end" else 0.0)
        parts.append(
            f'<text class="ct-date" x="{_pct(x)}" y="{_n(top + PLOT_HEIGHT + 22)}" text-anchor="{anchor}">'
            f"{_text(points[index].label)}</text>"
        )
    parts.append("</g>")
    if reference is not None:
        y = _n(y_of(reference))
        parts.append(
            f'<line class="ct-reference" x1="{_pct(PLOT_LEFT)}" x2="{_pct(PLOT_RIGHT)}" y1="{y}" y2="{y}" '
            f'stroke="{TARGET_COLOUR}" stroke-width="3" stroke-dasharray="6 4"/>'
        )
    parts.append(f'<g class="ct-series" stroke="{VALUE_COLOUR}" fill="{VALUE_COLOUR}">')
    for index in range(1, len(points)):
        parts.append(
            f'<line x1="{_pct(x_of(index - 1))}" y1="{_n(y_of(points[index - 1].value))}" '
            f'x2="{_pct(x_of(index))}" y2="{_n(y_of(points[index].value))}" stroke-width="3"/>'
        )
    for index, point in enumerate(points):
        parts.append(
            f'<circle class="ct-point" cx="{_pct(x_of(index))}" cy="{_n(y_of(point.value))}" r="5">'
            f"<title>{_text(f'{point.label}: {_level(point.value)}')}</title></circle>"
        )
    parts.append("</g></svg>")
    return "".join(parts)


def _label_indexes(count: int) -> list[int]:
    if count <= MAX_TIME_LABELS:
        return list(range(count))
    return [0, (count - 1) // 2, count - 1]


def _describe_line(points: Sequence[TimePoint], value_name: str, reference: float | None, reference_name: str) -> str:
    text = f"{value_name}: " + "; ".join(f"{p.label} {_level(p.value)}" for p in points) + "."
    if reference is not None:
        text += f" {reference_name} {_level(reference)}."
    return text


def progress_bar_svg(fraction: float, label: str, width: int = 200, height: int = 16) -> str:
    """A horizontal bar filled to ``fraction`` (clamped to 0..1), labelled for screen readers."""
    share = min(max(fraction, 0.0), 1.0) if math.isfinite(fraction) else 0.0
    percent = round(share * 100)
    name = _text(f"{label}: {percent}%")
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" class="progress-bar" role="img" '
        f'viewBox="0 0 {width} {height}" width="{width}" height="{height}" aria-label="{name}">'
        f"<title>{name}</title>"
        f'<rect class="progress-track" width="{width}" height="{height}" rx="{_n(height / 2)}" '
        'fill="#e6e6e6"/>'
        f'<rect class="progress-fill" width="{_n(width * share)}" height="{height}" rx="{_n(height / 2)}" '
        f'fill="{PALETTE[0]}"/></svg>'
    )


def table_html(caption: str, headers: Sequence[str], rows: Sequence[Sequence[str]]) -> str:
    """A data table: the first cell of each row is its header. Every cell is escaped."""
    head = "".join(f'<th scope="col">{_text(h)}</th>' for h in headers)
    body = "".join(
        "<tr>"
        + "".join(
            f'<th scope="row">{_text(cell)}</th>' if i == 0 else f"<td>{_text(cell)}</td>" for i, cell in enumerate(row)
        )
        + "</tr>"
        for row in rows
    )
    return (
        f'<table class="ct-table data-table"><caption>{_text(caption)}</caption>'
        f"<thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>"
    )


def figure_html(kind: str, caption: str, svg: str, *, details: Sequence[tuple[str, str]] = ()) -> str:
    """A chart in a ``<figure>`` under a visible caption, followed by ``(summary, html)`` sections a reader
    opens (show all, the table).

    ``svg`` and each section's html must already be escaped markup (from this module).
    """
    if not _CSS_CLASS.match(kind):
        raise ValueError(f"{kind!r} is not a plain CSS class name")
    more = "".join(
        f'<details class="ct-more"><summary>{_text(summary)}</summary>{html}</details>' for summary, html in details
    )
    return (
        f'<figure class="ct-chart ct-{kind}"><figcaption class="ct-caption">{_text(caption)}</figcaption>'
        f"{svg}{more}</figure>"
    )


def _open_svg(css_class: str, ident: str, height: float) -> str:
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" class="ct-svg {css_class}" role="img" width="100%" '
        f'height="{_n(height)}" aria-labelledby="{ident}-title {ident}-desc" font-family="inherit">'
    )


def _check_scale(scale_max: float) -> None:
    if not (math.isfinite(scale_max) and scale_max > 0):
        raise ValueError(f"scale_max must be a positive number, not {scale_max}")


def _check_values(label: str, values: Sequence[float | None]) -> None:
    if any(value is not None and not math.isfinite(value) for value in values):
        raise ValueError(f"{label!r}: values must be finite numbers")


def _clamp(value: float | None, scale_max: float) -> float | None:
    return None if value is None else min(max(value, 0.0), scale_max)


def _shorten(label: str) -> str:
    return label if len(label) <= MAX_LABEL_CHARS else label[: MAX_LABEL_CHARS - 1].rstrip() + "\u2026"


def _content_id(kind: str, *content: object) -> str:
    digest = hashlib.sha256(repr(content).encode("utf-8", "surrogatepass")).hexdigest()[:10]
    return f"ct-{kind}-{digest}"


def _text(value: str) -> str:
    """Text for XML content or a double-quoted attribute; drops characters XML cannot carry at all."""
    return escape(_NOT_XML.sub("", value), {'"': "&quot;"})


def _level(value: float | None) -> str:
    """A level as people read it: one decimal at most (4.62 -> 4.6, 3.0 -> 3)."""
    if value is None:
        return ""
    text = f"{value:.1f}".removesuffix(".0")
    return "0" if text == "-0" else text


def _pct(value: float) -> str:
    return _n(value) + "%"


def _n(value: float) -> str:
    """Numbers with at most two decimals and no trailing zeros, so output is stable and compact."""
    text = f"{value:.2f}".rstrip("0").rstrip(".")
    return "0" if text == "-0" else text
