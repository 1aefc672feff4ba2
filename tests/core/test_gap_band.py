"""Gap bands (what a cohort heatmap colours), shared by the pages and the blocks."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from career_core.gaps import GapBand, gap_band


@pytest.mark.parametrize(
    ("current", "required", "band"),
    [
        (None, 3.0, GapBand.UNRATED),
        (3.0, 3.0, GapBand.MET),
        (5.0, 3.0, GapBand.MET),
        (2.0, 3.0, GapBand.CLOSE),
        (2.0, 2.9, GapBand.CLOSE),
        (1.0, 3.0, GapBand.FAR),
        (0.0, 1.01, GapBand.FAR),
    ],
)
def test_bands(current: float | None, required: float, band: GapBand) -> None:
    assert gap_band(current, required) is band


@given(st.floats(0, 7), st.floats(0, 7), st.floats(0, 7))
def test_raising_a_level_never_moves_to_a_worse_band(low: float, high: float, required: float) -> None:
    order = [GapBand.FAR, GapBand.CLOSE, GapBand.MET]
    low, high = min(low, high), max(low, high)
    assert order.index(gap_band(high, required)) >= order.index(gap_band(low, required))
