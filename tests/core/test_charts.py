"""The inline SVG radar chart and progress bar."""

from __future__ import annotations

import xml.etree.ElementTree as ET
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from career_core.charts import progress_bar_svg, radar_chart_svg

SVG = "{http://www.w3.org/2000/svg}"
AXES = [("Data analysis", 5.0), ("<script>alert(1)</script>", 5.0), ("Leading & coaching", 5.0)]


def test_accessible_and_escaped() -> None:
    svg = radar_chart_svg(AXES, [("You", [3, 4, None], "self"), ("Target", [4, 4, 4], "target")])
    root = ET.fromstring(svg)
    assert root.get("role") == "img"
    title = root.find(f"{SVG}title")
    desc = root.find(f"{SVG}desc")
    assert title is not None and desc is not None
    assert root.get("aria-labelledby") == f"{title.get('id')} {desc.get('id')}"
    assert desc.text == (
        "Data analysis: You 3 of 5, Target 4 of 5; "
        "<script>alert(1)</script>: You 4 of 5, Target 4 of 5; "
        "Leading & coaching: You not rated, Target 4 of 5."
    )
    assert "<script>" not in svg
    assert "&lt;script&gt;" in svg
    assert root.find(f".//{SVG}script") is None
    assert len(root.findall(f".//{SVG}polygon")) == 4 + 2  # four grid rings, two series


def test_series_points_scale_with_values() -> None:
    svg = radar_chart_svg([("A", 4.0), ("B", 4.0), ("C", 4.0), ("D", 4.0)], [("S", [4, 0, 2, 8], "s")], size=200)
    root = ET.fromstring(svg)
    series = root.find(f".//{SVG}g[@class='radar-series s']/{SVG}polygon")
    assert series is not None
    points = [tuple(map(float, p.split(","))) for p in (series.get("points") or "").split()]
    cx, cy, radius = 140.0, 100.0, 100 - 12 * 3
    # First axis points straight up at full value; the second is at the centre; values over the
    # axis max are drawn at the rim, not beyond it.
    assert points[0] == pytest.approx((cx, cy - radius))
    assert points[1] == pytest.approx((cx, cy))
    assert points[2] == pytest.approx((cx, cy + radius / 2))
    assert points[3] == pytest.approx((cx - radius, cy))


def test_deterministic_and_ids_differ_between_charts() -> None:
    one = radar_chart_svg(AXES, [("You", [1, 2, 3], "self")])
    assert one == radar_chart_svg(AXES, [("You", [1, 2, 3], "self")])
    other = radar_chart_svg(AXES, [("You", [3, 2, 1], "self")])
    assert ET.fromstring(one).get("aria-labelledby") != ET.fromstring(other).get("aria-labelledby")
    assert 'id="mine-title"' in radar_chart_svg(AXES, [], chart_id="mine")


def test_long_labels_are_truncated_but_kept_whole_in_a_title() -> None:
    long = "Stakeholder management across distributed international programmes"
    root = ET.fromstring(radar_chart_svg([(long, 5), ("B", 5), ("C", 5)], []))
    label = root.find(f".//{SVG}g[@class='radar-labels']/{SVG}text")
    assert label is not None
    tooltip = label.find(f"{SVG}title")
    assert tooltip is not None and tooltip.text == long
    assert (tooltip.tail or "").endswith("\u2026")
    assert len(tooltip.tail or "") < len(long)


@pytest.mark.parametrize(
    ("axes", "series", "message"),
    [
        ([("A", 5), ("B", 5)], [], "3 to 35 axes, not 2"),
        ([(str(i), 5) for i in range(36)], [], "3 to 35 axes, not 36"),
        ([("A", 5), ("B", 0), ("C", 5)], [], "max must be a positive number"),
        (AXES, [("S", [1, 2], "s")], "2 values for 3 axes"),
        (AXES, [("S", [1, 2, 3], 'x" onload="alert(1)')], "not a plain CSS class name"),
        (AXES, [("S", [1, float("nan"), 3], "s")], "finite"),
    ],
)
def test_refuses_bad_input(axes: list[tuple[str, float]], series: list[Any], message: str) -> None:
    with pytest.raises(ValueError, match=message):
        radar_chart_svg(axes, series)


@settings(max_examples=60, deadline=None)
@given(
    labels=st.lists(st.text(max_size=40), min_size=3, max_size=35),
    name=st.text(max_size=30),
    title=st.text(max_size=30),
    data=st.data(),
)
def test_arbitrary_text_is_escaped_and_parses(labels: list[str], name: str, title: str, data: st.DataObject) -> None:
    values = data.draw(st.lists(st.none() | st.floats(-10, 20), min_size=len(labels), max_size=len(labels)))
    svg = radar_chart_svg([(label, 10.0) for label in labels], [(name, values, "learner")], title=title)
    root = ET.fromstring(svg)
    assert root.tag == f"{SVG}svg"
    assert root.find(f".//{SVG}script") is None
    assert not any(element.tag.rsplit("}", 1)[-1] == "foreignObject" for element in root.iter())
    assert all(not key.startswith("on") for element in root.iter() for key in element.attrib)
    assert len(root.findall(f".//{SVG}g[@class='radar-labels']/{SVG}text")) == len(labels)


def test_progress_bar() -> None:
    root = ET.fromstring(progress_bar_svg(0.426, "Plan <progress>"))
    assert root.get("role") == "img"
    assert root.get("aria-label") == "Plan <progress>: 43%"
    fill = root.find(f"{SVG}rect[@class='progress-fill']")
    assert fill is not None and fill.get("width") == "85.2"
    over = ET.fromstring(progress_bar_svg(7, "x")).find(f"{SVG}rect[@class='progress-fill']")
    assert over is not None and over.get("width") == "200"
