"""What a browser test checks of a drawn chart: every text at 12 px or more, no two texts of one chart on top
of each other, none cut off at the chart's sides (shared by the LTI pages' and the XBlocks' browser tests)."""

from __future__ import annotations

from typing import Any

# Every drawn text of every visible chart: its size, and whether it overlaps another text of its chart or
# runs past the chart's sides. Texts inside a closed <details> have no box and are skipped.
MEASURE = """
(root) => {
  const found = { texts: 0, charts: 0, small: [], overlaps: [], outside: [] };
  const label = (node) => Array.from(node.childNodes).filter((n) => n.nodeType === 3).map((n) => n.data).join("");
  root.querySelectorAll("svg.ct-svg").forEach((svg) => {
    const box = svg.getBoundingClientRect();
    if (box.width === 0) { return; }
    found.charts += 1;
    const texts = Array.from(svg.querySelectorAll("text"))
      .map((node) => ({
        node: node, rect: node.getBoundingClientRect(), size: parseFloat(getComputedStyle(node).fontSize),
      }))
      .filter((text) => text.rect.width > 0);
    texts.forEach((text) => {
      found.texts += 1;
      if (text.size < 12 || text.rect.height < 12) { found.small.push(label(text.node) + " " + text.size + "px"); }
      if (text.rect.left < box.left - 1 || text.rect.right > box.right + 1) { found.outside.push(label(text.node)); }
    });
    for (let i = 0; i < texts.length; i += 1) {
      for (let j = i + 1; j < texts.length; j += 1) {
        const a = texts[i].rect, b = texts[j].rect;
        const across = Math.min(a.right, b.right) - Math.max(a.left, b.left);
        const down = Math.min(a.bottom, b.bottom) - Math.max(a.top, b.top);
        if (across > 1 && down > 1) { found.overlaps.push(label(texts[i].node) + " | " + label(texts[j].node)); }
      }
    }
  });
  return found;
}
"""


def assert_readable(container: Any, charts: int) -> dict[str, Any]:
    found: dict[str, Any] = container.evaluate(MEASURE)
    assert found["charts"] >= charts, found
    assert found["texts"] > 20
    assert found["small"] == [], f"text under 12 px: {found['small']}"
    assert found["overlaps"] == [], f"labels on top of each other: {found['overlaps']}"
    assert found["outside"] == [], f"labels cut off at the sides: {found['outside']}"
    return found
