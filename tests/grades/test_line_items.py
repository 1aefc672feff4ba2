"""Line items: found by resourceId and tag across pages, created when missing, scoreMaximum kept in step."""

from __future__ import annotations

from typing import Any

from flask import Flask

from lti_app.grades.line_items import ensure_line_item, find_line_item, sync_score_maximum
from lti_app.grades.tokens import PlatformCredentials
from tests.grades.ags_peer import AgsPeer
from tests.grades.conftest import make_launch


def test_find_follows_link_next_pages(grades_app: Flask, peer: AgsPeer, platform: Any) -> None:
    for n in range(5):
        peer.add_line_item(str(n), resourceId=f"r{n}", tag="career-toolkit")

    item = find_line_item(PlatformCredentials.of(platform), peer.lineitems_url, resource_id="r4", tag="career-toolkit")

    assert item is not None and item.id == peer.line_item_url("4")
    assert find_line_item(PlatformCredentials.of(platform), peer.lineitems_url, resource_id="nope") is None


def test_ensure_creates_once_and_stores_it_on_the_resource_link(
    grades_app: Flask, peer: AgsPeer, platform: Any
) -> None:
    session = make_launch(platform, lineitems_url=peer.lineitems_url)

    url = ensure_line_item(session, label="My skills", score_maximum=20)
    assert url is not None and session.resource_link.line_item_url == url
    session.resource_link.line_item_url = None
    again = ensure_line_item(session, label="My skills", score_maximum=20)

    assert again == url
    assert len(peer.state.line_items) == 1
    [item] = peer.state.line_items.values()
    assert (item["label"], item["scoreMaximum"], item["resourceLinkId"]) == ("My skills", 20, "link-1")
    assert peer.state.token_requests == 1


def test_launch_line_item_is_used_as_is(grades_app: Flask, peer: AgsPeer, platform: Any) -> None:
    url = peer.add_line_item("9")
    session = make_launch(platform, line_item_url=url, lineitems_url=peer.lineitems_url)
    assert ensure_line_item(session, label="x", score_maximum=1) == url
    assert peer.state.token_requests == 0


def test_score_maximum_change_is_put(grades_app: Flask, peer: AgsPeer, platform: Any) -> None:
    url = peer.add_line_item("3", score_maximum=10)
    session = make_launch(platform, line_item_url=url)

    assert sync_score_maximum(session, 25)
    assert sync_score_maximum(session, 25)

    assert peer.state.line_items["3"]["scoreMaximum"] == 25
    assert peer.state.puts == 1
