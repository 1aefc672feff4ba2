"""The NRPS client against a platform peer over HTTP: every page, exact URLs, the shared access token."""

from __future__ import annotations

import pytest

from lti_app.models import Platform
from lti_app.roster.nrps import MEMBERSHIP_MEDIA_TYPE, NRPS_SCOPE, RosterUnavailable, fetch_members
from tests.roster.nrps_peer import FIRST_PAGE, SECOND_PAGE, THIRD_PAGE, NrpsPeer


def test_follows_three_pages_keeping_each_urls_case_and_query(platform: Platform, nrps: NrpsPeer) -> None:
    members = fetch_members(platform, nrps.memberships_url)

    assert [path for path, _, _ in nrps.member_requests] == [FIRST_PAGE, SECOND_PAGE, THIRD_PAGE]
    assert {accept for _, _, accept in nrps.member_requests} == {MEMBERSHIP_MEDIA_TYPE}
    assert {authorization for _, authorization, _ in nrps.member_requests} == {"Bearer token-1"}
    by_id = {member.user_id: member for member in members}
    assert set(by_id) == {"teacher-1", "learner-1", "learner-2", "learner-3", "learner-4", "ta-1"}
    assert by_id["learner-2"].name == "Alan Turing"
    assert by_id["learner-2"].roles == ("http://purl.imsglobal.org/vocab/lis/v2/membership#Learner",)
    assert by_id["learner-3"].status == "Inactive"


def test_the_token_comes_from_a_client_assertion_signed_with_the_tools_key(platform: Platform, nrps: NrpsPeer) -> None:
    fetch_members(platform, nrps.memberships_url)
    fetch_members(platform, nrps.memberships_url)

    assert len(nrps.issued) == 1, "one token per platform and scope set, reused"
    assert nrps.token_requests[0]["scope"] == [NRPS_SCOPE]
    assertion = nrps.assertions[0]
    assert assertion["iss"] == assertion["sub"] == platform.client_id
    assert assertion["aud"] == nrps.token_url


def test_a_refused_token_is_renewed_once(platform: Platform, nrps: NrpsPeer) -> None:
    fetch_members(platform, nrps.memberships_url)
    nrps.reject_tokens.add("token-1")

    members = fetch_members(platform, nrps.memberships_url)

    assert len(members) == 6
    assert nrps.issued == ["token-1", "token-2"]


def test_a_token_refused_twice_is_the_platforms_answer(platform: Platform, nrps: NrpsPeer) -> None:
    fetch_members(platform, nrps.memberships_url)
    nrps.reject_tokens.update({"token-1", "token-2", "token-3"})

    with pytest.raises(RosterUnavailable) as refused:
        fetch_members(platform, nrps.memberships_url)
    assert refused.value.status == 401
    assert nrps.issued == ["token-1", "token-2"]


@pytest.mark.parametrize("status", [403, 500, 503])
def test_platform_refusals_raise_roster_unavailable(platform: Platform, nrps: NrpsPeer, status: int) -> None:
    nrps.member_status = status
    with pytest.raises(RosterUnavailable) as refused:
        fetch_members(platform, nrps.memberships_url)
    assert refused.value.status == status
    if status == 403:
        assert "scope" in refused.value.message


def test_a_next_link_to_another_host_is_not_followed_with_our_token(platform: Platform, nrps: NrpsPeer) -> None:
    nrps.next_link_override = '<https://elsewhere.example/steal>; rel="next"'
    with pytest.raises(RosterUnavailable, match="not on the platform's host"):
        fetch_members(platform, nrps.memberships_url)
    assert len(nrps.member_requests) == 1


def test_a_page_linking_to_itself_does_not_loop(platform: Platform, nrps: NrpsPeer) -> None:
    nrps.next_link_override = f"<{nrps.memberships_url}>; rel=next"
    with pytest.raises(RosterUnavailable, match="link back"):
        fetch_members(platform, nrps.memberships_url)


def test_an_unreachable_token_endpoint_is_roster_unavailable(platform: Platform, nrps: NrpsPeer) -> None:
    platform.auth_token_url = "http://127.0.0.1:9/token"
    with pytest.raises(RosterUnavailable, match="no access token"):
        fetch_members(platform, nrps.memberships_url)


def test_an_injected_token_source_is_used(platform: Platform, nrps: NrpsPeer) -> None:
    nrps.issued.append("injected")
    seen: list[tuple[int, list[str]]] = []

    def token_for(which: Platform, scopes: object) -> str:
        seen.append((which.id, list(scopes)))  # type: ignore[call-overload]
        return "injected"

    assert len(fetch_members(platform, nrps.memberships_url, token_for=token_for)) == 6
    assert seen == [(platform.id, [NRPS_SCOPE])]
    assert nrps.token_requests == []
