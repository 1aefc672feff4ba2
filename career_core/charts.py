"""Inline SVG charts (a skills radar, a progress bar) drawn in pure Python.

The LTI pages and the XBlocks embed the same markup. Output is deterministic, accessible
(``role="img"`` with a title and a text description of every value), uses no JavaScript, and escapes
every piece of text, so a skill named ``<script>`` is shown, never run.
"""

from __future__ import annotations

import hashlib
import math
import re
from collections.abc import Sequence
from html import escape

MIN_AXES = 3
MAX_AXES = 35
# Okabe-Ito colours stay distinguishable for the common forms of colour blindness. They are
# presentation attributes, so a page's CSS on the series class overrides them.
PALETTE: tuple[str, ...] = ("#0072B2", "#E69F00", "#009E73", "#CC79A7", "#D55E00", "#56B4E9")
_CSS_CLASS = re.compile(r"^[A-Za-z_][A-Za-z0-9_-]*$")
# Characters XML 1.0 cannot carry at all, even escaped: C0 controls other than tab/newline/CR,
# lone surrogates and the two non-characters.
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")

Axis = tuple[str, float]
Series = tuple[str, Sequence[float | None], str]


def radar_chart_svg(
    axes: Sequence[Axis],
    series: Sequence[Series],
    size: int = 400,
    *,
    title: str = "Skills profile",
    chart_id: str | None = None,
) -> str:
    """A radar chart with one spoke per axis ``(label, max)`` and one polygon per series
    ``(name, values, css_class)``; ``None`` is a value not given, drawn at the centre.

    ``chart_id`` prefixes the ids the title and description need; by default it is derived from the
    content, so two different charts on one page do not clash and the same chart is byte-identical.

    :raise ValueError: on fewer than 3 or more than 35 axes, a non-positive max, a series whose
        values do not match the axes, or a css_class that is not a plain class name.
    """
    _check(axes, series, size)
    n = len(axes)
    font = max(8, 12 - n // 8)
    side = size * 0.2  # room either side for labels, which run horizontally
    centre = size / 2
    radius = size / 2 - font * 3
    legend_height = 18 * len(series) + (8 if series else 0)
    width = size + 2 * side
    height = size + legend_height
    ident = chart_id or _content_id(axes, series, title)
    max_chars = max(8, int((side + font * 3) / (font * 0.55)))

    def point(axis: int, share: float) -> tuple[float, float]:
        angle = -math.pi / 2 + 2 * math.pi * axis / n
        return (centre + side + radius * share * math.cos(angle), centre + radius * share * math.sin(angle))

    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" class="radar-chart" role="img" '
        f'viewBox="0 0 {_n(width)} {_n(height)}" width="{_n(width)}" height="{_n(height)}" '
        f'aria-labelledby="{ident}-title {ident}-desc">',
        f'<title id="{ident}-title">{_text(title)}</title>',
        f'<desc id="{ident}-desc">{_text(_describe(axes, series))}</desc>',
        '<g class="radar-grid" fill="none" stroke="#c8c8c8" stroke-width="1">',
    ]
    for share in (0.25, 0.5, 0.75, 1.0):
        ring = " ".join(_xy(*point(i, share)) for i in range(n))
        parts.append(f'<polygon class="radar-ring" points="{ring}"/>')
    for i in range(n):
        x, y = point(i, 1.0)
        parts.append(
            f'<line class="radar-spoke" x1="{_n(centre + side)}" y1="{_n(centre)}" x2="{_n(x)}" y2="{_n(y)}"/>'
        )
    parts.append("</g>")
    parts.append(f'<g class="radar-labels" font-size="{font}" fill="currentColor">')
    for i, (label, _maximum) in enumerate(axes):
        x, y = point(i, 1.0 + (font * 0.9) / radius)
        dx = x - (centre + side)
        anchor = "middle" if abs(dx) < 1 else ("start" if dx > 0 else "end")
        shown = label if len(label) <= max_chars else label[: max_chars - 1].rstrip() + "\u2026"
        parts.append(
            f'<text x="{_n(x)}" y="{_n(y)}" text-anchor="{anchor}" dominant-baseline="middle">'
            f"<title>{_text(label)}</title>{_text(shown)}</text>"
        )
    parts.append("</g>")
    for index, (name, values, css_class) in enumerate(series):
        colour = PALETTE[index % len(PALETTE)]
        shares = [
            min(max(value, 0.0), maximum) / maximum if value is not None else 0.0
            for value, (_label, maximum) in zip(values, axes, strict=True)
        ]
        outline = " ".join(_xy(*point(i, share)) for i, share in enumerate(shares))
        parts.append(
            f'<g class="radar-series {css_class}" fill="{colour}" stroke="{colour}">'
            f"<title>{_text(name)}</title>"
            f'<polygon points="{outline}" fill-opacity="0.2" stroke-width="2"/>'
        )
        for i, share in enumerate(shares):
            x, y = point(i, share)
            parts.append(f'<circle cx="{_n(x)}" cy="{_n(y)}" r="2.5"/>')
        parts.append("</g>")
    if series:
        parts.append('<g class="radar-legend" font-size="12" fill="currentColor" aria-hidden="true">')
        for index, (name, _values, css_class) in enumerate(series):
            y = size + 8 + 18 * index
            colour = PALETTE[index % len(PALETTE)]
            parts.append(
                f'<rect class="{css_class}" x="{_n(side)}" y="{_n(y)}" width="12" height="12" '
                f'fill="{colour}"/>'
                f'<text x="{_n(side + 18)}" y="{_n(y + 10)}">{_text(name)}</text>'
            )
        parts.append("</g>")
    parts.append("</svg>")
    return "".join(parts)


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


def _check(axes: Sequence[Axis], series: Sequence[Series], size: int) -> None:
    if not MIN_AXES <= len(axes) <= MAX_AXES:
        raise ValueError(f"a radar chart needs {MIN_AXES} to {MAX_AXES} axes, not {len(axes)}")
    if size < 100:
        raise ValueError(f"size must be at least 100, not {size}")
    for label, maximum in axes:
        if not (math.isfinite(maximum) and maximum > 0):
            raise ValueError(f"axis {label!r}: max must be a positive number, not {maximum}")
    for name, values, css_class in series:
        if len(values) != len(axes):
            raise ValueError(f"series {name!r}: {len(values)} values for {len(axes)} axes")
        if any(value is not None and not math.isfinite(value) for value in values):
            raise ValueError(f"series {name!r}: values must be finite numbers")
        # Class names go into an attribute unescaped by design; only plain names are accepted.
        if not _CSS_CLASS.match(css_class):
            raise ValueError(f"series {name!r}: {css_class!r} is not a plain CSS class name")


def _describe(axes: Sequence[Axis], series: Sequence[Series]) -> str:
    if not series:
        return f"{len(axes)} axes, no values: " + "; ".join(label for label, _ in axes) + "."
    lines = []
    for i, (label, maximum) in enumerate(axes):
        readings = ", ".join(
            f"{name} {_n(values[i])} of {_n(maximum)}" if values[i] is not None else f"{name} not rated"
            for name, values, _css in series
        )
        lines.append(f"{label}: {readings}")
    return "; ".join(lines) + "."


def _content_id(axes: Sequence[Axis], series: Sequence[Series], title: str) -> str:
    content = repr((title, list(axes), [(name, list(values)) for name, values, _ in series]))
    return "radar-" + hashlib.sha256(content.encode("utf-8", "surrogatepass")).hexdigest()[:10]


def _text(value: str) -> str:
    return escape(_NOT_XML.sub("", value), quote=True)


def _n(value: float | None) -> str:
    """Numbers with at most two decimals and no trailing zeros, so output is stable and compact."""
    if value is None:
        return ""
    text = f"{value:.2f}".rstrip("0").rstrip(".")
    return "0" if text == "-0" else text


def _xy(x: float, y: float) -> str:
    return f"{_n(x)},{_n(y)}"
