"""The charts both front ends show (career_core.charts and career_core.profile_chart): sorted gap bars, the
skill-group overview and progress over time, each with a table holding the same numbers."""

from __future__ import annotations

import xml.etree.ElementTree as ET
from datetime import UTC, datetime, timedelta

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from career_core.assessment import SkillRating
from career_core.charts import (
    BAR_SHARE,
    FONT_SIZE,
    MAX_LABEL_CHARS,
    BulletRow,
    TimePoint,
    bullet_chart_svg,
    figure_html,
    line_chart_svg,
    progress_bar_svg,
    table_html,
)
from career_core.frameworks import Skill, SkillFramework
from career_core.onet import load_onet_catalog
from career_core.profile_chart import (
    MAX_SITTINGS,
    TOP_GAPS,
    ChartText,
    ProgressPoint,
    gap_chart_html,
    group_bars,
    group_chart_html,
    profile_charts_html,
    progress_chart_html,
    progress_points,
    sittings_of,
    skill_bars,
)
from career_core.roles import Role, RoleRequirement
from career_core.scales import ONET_LEVEL_SCALE

SVG = "{http://www.w3.org/2000/svg}"
HOSTILE = "<script>alert(1)</script> & R&D"
SKILLS = (
    Skill("a", "Data analysis", category="Thinking"),
    Skill("b", HOSTILE, category="Thinking"),
    Skill("c", "Coaching", category="People"),
    Skill("d", "Negotiation", category="People"),
    Skill("e", "Budgeting", category="Money"),
)
FRAMEWORK = SkillFramework("fw", "Test skills", "1", ONET_LEVEL_SCALE, SKILLS)
ROLE = Role(
    "r-1",
    "Analyst <lead> & co",
    requirements=(
        RoleRequirement("a", 5.0, 4.5),
        RoleRequirement("b", 4.0, 2.0),
        RoleRequirement("c", 4.0, 4.0),
        RoleRequirement("d", 2.0, 3.0),
        RoleRequirement("e", 3.5, 3.0),
    ),
)
PROFILE = {"a": 2.0, "b": 1.0, "c": 4.0, "e": 3.0}  # d not rated


def parse(html: str) -> ET.Element:
    """The figure parses as XML: every text is escaped and every element closed."""
    return ET.fromstring(html)


def svgs(figure: ET.Element) -> list[ET.Element]:
    return [element for element in figure.iter() if element.tag == f"{SVG}svg" and "ct-svg" in element.get("class", "")]


def bar_rows(svg: ET.Element) -> list[tuple[str, str]]:
    """(label, numbers) per bar as drawn."""
    rows = []
    for group in svg.iter(f"{SVG}g"):
        if group.get("class") != "ct-row":
            continue
        label = next(t for t in group.iter(f"{SVG}text") if t.get("class") == "ct-label")
        numbers = next(t for t in group.iter(f"{SVG}text") if t.get("class") == "ct-numbers")
        title = label.find(f"{SVG}title")
        rows.append(((title.text if title is not None else label.text) or "", numbers.text or ""))
    return rows


def table_rows(figure: ET.Element, index: int = -1) -> list[list[str]]:
    table = list(figure.iter("table"))[index]
    return [[cell.text or "" for cell in row] for row in table.iter("tr")][1:]


# --- ordering -----------------------------------------------------------------------------------------------


def test_biggest_gaps_first_then_importance_then_framework_order() -> None:
    bars = skill_bars(FRAMEWORK, ["e", "d", "c", "b", "a"], PROFILE, ROLE)
    assert [(bar.code, bar.gap) for bar in bars] == [("a", 3.0), ("b", 3.0), ("d", 2.0), ("e", 0.5), ("c", 0.0)]
    # a and b tie on the gap: the more important (a, 4.5) comes first; unrated d counts as 0 (gap 2).
    gaps = [bar.gap for bar in bars]
    assert gaps == sorted(gaps, reverse=True)


def test_without_a_role_the_highest_levels_come_first_and_unrated_last() -> None:
    bars = skill_bars(FRAMEWORK, FRAMEWORK.codes, PROFILE)
    assert [bar.code for bar in bars] == ["c", "e", "a", "b", "d"]
    assert all(bar.required is None and bar.gap == 0 for bar in bars)


def test_the_order_does_not_depend_on_the_callers_order() -> None:
    forward = skill_bars(FRAMEWORK, FRAMEWORK.codes, {}, ROLE)
    backward = skill_bars(FRAMEWORK, list(reversed(FRAMEWORK.codes)), {}, ROLE)
    assert forward == backward


# --- the gap chart: SVG and table agree -------------------------------------------------------------------------


def test_table_holds_the_values_the_bars_show() -> None:
    figure = parse(gap_chart_html(FRAMEWORK, FRAMEWORK.codes, PROFILE, ROLE))
    drawn = bar_rows(svgs(figure)[0])
    table = table_rows(figure)
    assert [row[0] for row in table] == [name for name, _numbers in drawn]
    for (name, numbers), (table_name, you, needs, gap) in zip(drawn, table, strict=True):
        assert name == table_name
        shown_you = "\u2013" if you == "not rated" else you
        assert numbers == f"{shown_you} \u2192 {needs}"
        current = 0.0 if you == "not rated" else float(you)
        assert float(gap) == pytest.approx(max(0.0, float(needs) - current), abs=0.051)
    assert table[0] == ["Data analysis", "2", "5", "3"]
    assert ["Negotiation", "not rated", "2", "2"] in table


def test_bar_geometry_follows_the_values() -> None:
    svg = ET.fromstring(bullet_chart_svg([BulletRow("x", 3.5, 5.25)], scale_max=7.0, title="t"))
    value = next(r for r in svg.iter(f"{SVG}rect") if r.get("class") == "ct-value")
    gap = next(r for r in svg.iter(f"{SVG}rect") if r.get("class") == "ct-gap")
    target = next(line for line in svg.iter(f"{SVG}line") if line.get("class") == "ct-target")
    assert value.get("width") == f"{3.5 / 7 * BAR_SHARE:g}%"
    assert gap.get("x") == value.get("width")
    assert gap.get("width") == f"{1.75 / 7 * BAR_SHARE:g}%"
    assert target.get("x1") == f"{5.25 / 7 * BAR_SHARE:g}%"
    over = ET.fromstring(bullet_chart_svg([BulletRow("x", 9.0, None)], scale_max=7.0, title="t"))
    full = next(r for r in over.iter(f"{SVG}rect") if r.get("class") == "ct-value")
    assert full.get("width") == f"{BAR_SHARE:g}%"  # beyond the scale is drawn at its end, not past it


def test_top_bars_first_and_all_of_them_behind_show_all() -> None:
    catalog = load_onet_catalog()
    framework = catalog.framework
    profile = {code: float(i % 5) for i, code in enumerate(framework.codes)}
    figure = parse(gap_chart_html(framework, framework.codes, profile, catalog.role("29-1141.00")))
    first, everything = svgs(figure)
    assert len(bar_rows(first)) == TOP_GAPS
    assert len(bar_rows(everything)) == len(framework.codes) == len(table_rows(figure))
    assert bar_rows(everything)[:TOP_GAPS] == bar_rows(first)
    summaries = [s.text for s in figure.iter("summary")]
    assert summaries == ["Show all 35 skills", "Show the numbers as a table"]
    few = parse(gap_chart_html(FRAMEWORK, FRAMEWORK.codes, PROFILE, ROLE))
    assert [s.text for s in few.iter("summary")] == ["Show the numbers as a table"]


def test_accessible_svg_with_title_description_and_a_caption() -> None:
    figure = parse(gap_chart_html(FRAMEWORK, FRAMEWORK.codes, PROFILE, ROLE))
    svg = svgs(figure)[0]
    assert svg.get("role") == "img"
    title, desc = svg.find(f"{SVG}title"), svg.find(f"{SVG}desc")
    assert title is not None and desc is not None
    assert svg.get("aria-labelledby") == f"{title.get('id')} {desc.get('id')}"
    assert title.text == "Your skills compared with Analyst <lead> & co, biggest gaps first"
    caption = figure.find("figcaption")
    assert caption is not None and caption.text == title.text
    assert desc.text is not None
    assert desc.text.startswith("Data analysis: You 2, Role needs 5; ")
    assert "Negotiation: You not rated, Role needs 2" in desc.text


def test_skill_names_and_role_titles_are_escaped() -> None:
    html = profile_charts_html(FRAMEWORK, FRAMEWORK.codes, PROFILE, ROLE)
    assert "<script>" not in html and "<lead>" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt; &amp; R&amp;D" in html
    figure = parse(f"<div>{html}</div>")
    assert figure.find(".//script") is None
    names = [name for svg in svgs(figure) for name, _ in bar_rows(svg)]
    assert HOSTILE in names
    assert [HOSTILE, "1", "4", "3"] in table_rows(figure, 0)


def test_text_is_never_below_12px_and_heights_grow_with_the_rows() -> None:
    html = profile_charts_html(
        FRAMEWORK,
        FRAMEWORK.codes,
        PROFILE,
        ROLE,
        history=[ProgressPoint(datetime(2026, 1, d, tzinfo=UTC), 1.0 + d / 10, 3) for d in range(1, 6)],
    )
    root = parse(f"<div>{html}</div>")
    sizes = [float(e.get("font-size", "0")) for e in root.iter() if e.get("font-size")]
    assert sizes and min(sizes) >= 12
    assert not any(e.get("viewBox") for e in svgs(root))  # text keeps its px size at every width
    one = ET.fromstring(bullet_chart_svg([BulletRow("x", 1.0, 2.0)], scale_max=7.0, title="t"))
    three = ET.fromstring(bullet_chart_svg([BulletRow("x", 1.0, 2.0)] * 3, scale_max=7.0, title="t"))
    assert float(three.get("height", "0")) - float(one.get("height", "0")) == 2 * 48


def test_long_labels_are_shortened_but_kept_whole_in_a_title() -> None:
    long = "Stakeholder management across distributed international programmes"
    svg = ET.fromstring(bullet_chart_svg([BulletRow(long, 2.0, 3.0)], scale_max=7.0, title="t"))
    label = next(t for t in svg.iter(f"{SVG}text") if t.get("class") == "ct-label")
    tooltip = label.find(f"{SVG}title")
    assert tooltip is not None and tooltip.text == long
    assert (tooltip.tail or "").endswith("\u2026") and len(tooltip.tail or "") == MAX_LABEL_CHARS


def test_a_long_translated_legend_is_stacked_instead_of_overlapping() -> None:
    short = ET.fromstring(bullet_chart_svg([BulletRow("x", 1.0, 2.0)], scale_max=7.0, title="t"))
    text = ChartText(role_needs="Niveau exigé par le métier visé", to_grow="Marge de progression restante")
    long = ET.fromstring(bullet_chart_svg([BulletRow("x", 1.0, 2.0)], scale_max=7.0, title="t", legend=text.legend))
    assert float(long.get("height", "0")) > float(short.get("height", "0"))
    moves = [g.get("transform") for g in long.iter(f"{SVG}g") if (g.get("transform") or "").startswith("translate")]
    assert moves == ["translate(0,0)", "translate(0,26)", "translate(0,52)"]


# --- skill groups -------------------------------------------------------------------------------------------


def test_groups_average_what_was_rated_in_framework_order() -> None:
    bars = group_bars(FRAMEWORK, FRAMEWORK.codes, PROFILE, ROLE)
    assert [(b.name, b.skills, b.rated, b.current, b.required) for b in bars] == [
        ("Thinking", 2, 2, 1.5, 4.5),
        ("People", 2, 1, 4.0, 3.0),
        ("Money", 1, 1, 3.0, 3.5),
    ]
    figure = parse(group_chart_html(FRAMEWORK, FRAMEWORK.codes, PROFILE, ROLE) or "")
    assert bar_rows(svgs(figure)[0]) == [
        ("Thinking (2)", "1.5 \u2192 4.5"),
        ("People (2)", "4 \u2192 3"),
        ("Money (1)", "3 \u2192 3.5"),
    ]
    assert table_rows(figure) == [
        ["Thinking", "1.5", "2 / 2", "4.5"],
        ["People", "4", "1 / 2", "3"],
        ["Money", "3", "1 / 1", "3.5"],
    ]
    assert group_chart_html(FRAMEWORK, ["a", "b"], PROFILE, ROLE) is None  # one group is no overview


def test_onet_categories_read_as_basic_skills() -> None:
    framework = load_onet_catalog().framework
    names = [bar.name for bar in group_bars(framework, framework.codes, {})]
    assert names == [
        "Basic Skills: Content",
        "Basic Skills: Process",
        "Social Skills",
        "Complex Problem Solving Skills",
        "Technical Skills",
        "Systems Skills",
        "Resource Management Skills",
    ]


# --- progress over time -------------------------------------------------------------------------------------


def test_progress_points_carry_levels_forward_and_skip_other_skills() -> None:
    t = datetime(2026, 3, 1, tzinfo=UTC)
    sittings = [
        (t, {"a": 2.0, "b": 4.0}),
        (t + timedelta(days=1), {"zzz": 7.0}),  # not a charted skill: no point
        (t + timedelta(days=2), {"a": 5.0}),
        (t + timedelta(days=3), {"c": 3.0}),
    ]
    points = progress_points(sittings, ["a", "b", "c"])
    assert [(p.taken_at.day, p.average, p.rated) for p in points] == [(1, 3.0, 2), (3, 4.5, 2), (4, 4.0, 3)]


def test_progress_keeps_the_latest_sittings() -> None:
    t = datetime(2026, 1, 1, tzinfo=UTC)
    points = progress_points([(t + timedelta(hours=i), {"a": float(i % 7)}) for i in range(80)], ["a"])
    assert len(points) == MAX_SITTINGS and points[-1].taken_at == t + timedelta(hours=79)


def test_sittings_of_groups_ratings_given_together() -> None:
    t = datetime(2026, 2, 1, tzinfo=UTC)
    ratings = [SkillRating("b", 3, t + timedelta(days=1)), SkillRating("a", 2, t), SkillRating("c", 4, t)]
    assert sittings_of(ratings) == [(t, {"a": 2.0, "c": 4.0}), (t + timedelta(days=1), {"b": 3.0})]


def test_progress_chart_needs_two_sittings_and_matches_its_table() -> None:
    t = datetime(2026, 1, 5, 9, 30, tzinfo=UTC)
    points = [ProgressPoint(t + timedelta(days=7 * i), 1.0 + 0.5 * i, 2 + i) for i in range(6)]
    assert progress_chart_html(FRAMEWORK, points[:1], ROLE, FRAMEWORK.codes) is None
    figure = parse(progress_chart_html(FRAMEWORK, points, ROLE, FRAMEWORK.codes) or "")
    svg = svgs(figure)[0]
    circles = [c for c in svg.iter(f"{SVG}circle") if c.get("class") == "ct-point"]
    tooltips = [(c.find(f"{SVG}title").text or "") for c in circles]  # type: ignore[union-attr]
    rows = table_rows(figure)
    assert tooltips == [f"{row[0][:10]}: {row[1]}" for row in rows]
    assert rows[0] == ["2026-01-05 09:30", "1", "2"] and rows[-1] == ["2026-02-09 09:30", "3.5", "7"]
    heights = [float(c.get("cy", "0")) for c in circles]
    assert heights == sorted(heights, reverse=True)  # a rising average draws a rising line
    dates = [t.text for t in svg.iter(f"{SVG}text") if t.get("class") == "ct-date"]
    assert dates == ["2026-01-05", "2026-01-19", "2026-02-09"]  # three labels at most: they never collide
    reference = next(line for line in svg.iter(f"{SVG}line") if line.get("class") == "ct-reference")
    assert reference is not None and "Role needs 3.7" in "".join(svg.itertext())  # the role's average: 18.5 / 5


def test_sittings_on_one_day_are_told_apart_by_their_times() -> None:
    t = datetime(2026, 1, 5, 9, 30, tzinfo=UTC)
    points = [ProgressPoint(t + timedelta(minutes=20 * i), 2.0 + i, 3) for i in range(3)]
    svg = svgs(parse(progress_chart_html(FRAMEWORK, points) or ""))[0]
    assert [t.text for t in svg.iter(f"{SVG}text") if t.get("class") == "ct-date"] == ["09:30", "09:50", "10:10"]


def test_a_long_reference_label_goes_under_the_first_one() -> None:
    points = [TimePoint("a", 1.0), TimePoint("b", 2.0)]
    short = ET.fromstring(
        line_chart_svg(points, scale_max=7, title="t", value_name="You", reference=3.0, reference_name="Role")
    )
    long = ET.fromstring(
        line_chart_svg(
            points,
            scale_max=7,
            title="t",
            value_name="Votre niveau moyen",
            reference=3.0,
            reference_name="Niveau moyen exigé par le métier",
        )
    )
    assert float(long.get("height", "0")) == float(short.get("height", "0")) + 26
    moves = [g.get("transform") for g in long.iter(f"{SVG}g") if g.get("transform")]
    assert moves == ["translate(0,26)"]


def test_line_chart_refuses_bad_input() -> None:
    with pytest.raises(ValueError, match="at least one point"):
        line_chart_svg([], scale_max=7, title="t", value_name="v")
    with pytest.raises(ValueError, match="finite"):
        line_chart_svg([TimePoint("x", float("inf"))], scale_max=7, title="t", value_name="v")


# --- refusals, arbitrary text, speed --------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("rows", "scale", "message"),
    [
        ([BulletRow("a", float("nan"))], 7.0, "finite"),
        ([BulletRow("a", 1.0, float("inf"))], 7.0, "finite"),
        ([BulletRow("a", 1.0)], 0.0, "positive"),
    ],
)
def test_bullet_chart_refuses_bad_input(rows: list[BulletRow], scale: float, message: str) -> None:
    with pytest.raises(ValueError, match=message):
        bullet_chart_svg(rows, scale_max=scale, title="t")


def test_figure_kind_must_be_a_plain_class_name() -> None:
    with pytest.raises(ValueError, match="plain CSS class"):
        figure_html('x" onclick="alert(1)', "c", "<svg/>")


def test_table_escapes_every_cell() -> None:
    html = table_html("<c>", ["<h>"], [["<th> & x", "<td>"]])
    assert "<c>" not in html and "&lt;th&gt; &amp; x" in html and "&lt;td&gt;" in html


@settings(max_examples=60, deadline=None)
@given(
    labels=st.lists(st.text(max_size=60), min_size=1, max_size=40),
    title=st.text(max_size=40),
    data=st.data(),
)
def test_arbitrary_text_is_escaped_and_parses(labels: list[str], title: str, data: st.DataObject) -> None:
    values = data.draw(st.lists(st.none() | st.floats(-10, 20), min_size=len(labels), max_size=len(labels)))
    rows = [BulletRow(label, value, 3.0) for label, value in zip(labels, values, strict=True)]
    root = ET.fromstring(bullet_chart_svg(rows, scale_max=7.0, title=title))
    assert root.find(f".//{SVG}script") is None
    assert not any(element.tag.endswith("foreignObject") for element in root.iter())
    assert all(not key.startswith("on") for element in root.iter() for key in element.attrib)
    assert len(bar_rows(root)) == len(labels)


def test_every_chart_for_35_skills_and_50_sittings_renders() -> None:
    # Speed is measured in benchmarks/bench_core_speed.py, not here: timed tests flake on a busy machine.
    catalog = load_onet_catalog()
    framework = catalog.framework
    t = datetime(2026, 1, 1, tzinfo=UTC)
    sittings = [
        (t + timedelta(days=i), {code: float((i + j) % 8) for j, code in enumerate(framework.codes)}) for i in range(50)
    ]
    history = progress_points(sittings, framework.codes)
    role = catalog.role("15-1253.00")
    html = profile_charts_html(framework, framework.codes, sittings[-1][1], role, history=history)
    assert html.count('class="ct-chart') == 3 and FONT_SIZE >= 12


def test_progress_bar() -> None:
    root = ET.fromstring(progress_bar_svg(0.426, "Plan <progress>"))
    assert root.get("role") == "img"
    assert root.get("aria-label") == "Plan <progress>: 43%"
    fill = root.find(f"{SVG}rect[@class='progress-fill']")
    assert fill is not None and fill.get("width") == "85.2"
    over = ET.fromstring(progress_bar_svg(7, "x")).find(f"{SVG}rect[@class='progress-fill']")
    assert over is not None and over.get("width") == "200"
