"""Reading RFC 8288 Link headers the way NRPS paging needs: targets verbatim, whatever else the header holds."""

from __future__ import annotations

import pytest

from lti_app.roster.nrps import full_role, next_page_url, parse_link_header, parse_member

BASE = "https://LMS.example.edu/api/Courses/CD101/Members"


def test_the_next_target_keeps_its_case_exactly() -> None:
    header = '<https://lms.example.edu/API/Courses/CD101/Members?Page=2&Token=AbCdEf>; rel="next"'
    assert next_page_url(header, BASE) == "https://lms.example.edu/API/Courses/CD101/Members?Page=2&Token=AbCdEf"


def test_several_links_in_one_header_with_commas_inside_urls_and_quoted_values() -> None:
    header = (
        '<https://lms.example.edu/m?Since=A,B>; rel="differences"; title="Changes, since A", '
        '<https://lms.example.edu/m?After=X,Y;Z=1&Limit=2>; title="next, please"; rel="next", '
        '<https://lms.example.edu/m?Page=Last>; rel="last"'
    )
    links = parse_link_header(header)
    assert [target for target, _ in links] == [
        "https://lms.example.edu/m?Since=A,B",
        "https://lms.example.edu/m?After=X,Y;Z=1&Limit=2",
        "https://lms.example.edu/m?Page=Last",
    ]
    assert links[0][1] == {"rel": "differences", "title": "Changes, since A"}
    assert next_page_url(header, BASE) == "https://lms.example.edu/m?After=X,Y;Z=1&Limit=2"


@pytest.mark.parametrize(
    "header",
    [
        "<https://lms.example.edu/Next>; rel=next",
        "<https://lms.example.edu/Next>;rel=NEXT",
        '<https://lms.example.edu/Next> ; REL = "prev next"',
        '<https://lms.example.edu/First>; rel="first",<https://lms.example.edu/Next>; rel="next"',
        '<https://lms.example.edu/First>; rel="first"; title="a \\"quoted\\" <one>, really", '
        '<https://lms.example.edu/Next>; rel="next"',
    ],
)
def test_rel_spellings(header: str) -> None:
    assert next_page_url(header, BASE) == "https://lms.example.edu/Next"


def test_relative_targets_resolve_against_the_page_they_came_from() -> None:
    assert next_page_url("</api/Courses/CD101/Members?Page=2>; rel=next", BASE) == (
        "https://LMS.example.edu/api/Courses/CD101/Members?Page=2"
    )
    assert next_page_url("<Members/Page2>; rel=next", BASE) == "https://LMS.example.edu/api/Courses/CD101/Members/Page2"


@pytest.mark.parametrize(
    "header",
    [None, "", '<https://lms.example.edu/First>; rel="first"', "garbage", "<unterminated; rel=next", "<>; rel=next"],
)
def test_no_next_link(header: str | None) -> None:
    assert next_page_url(header, BASE) is None


def test_only_the_first_rel_parameter_counts() -> None:
    assert next_page_url('<https://x.test/A>; rel="prev"; rel="next"', BASE) is None


def test_members_are_read_leniently() -> None:
    assert parse_member({"user_id": 42, "roles": ["Instructor"]}).roles == (  # type: ignore[union-attr]
        "http://purl.imsglobal.org/vocab/lis/v2/membership#Instructor",
    )
    assert parse_member({"name": "no id"}) is None
    assert parse_member({"user_id": "x", "status": "Deleted"}) is None
    assert parse_member({"user_id": "x", "status": "inactive"}).status == "Inactive"  # type: ignore[union-attr]
    assert parse_member("not a member") is None
    assert full_role("http://purl.imsglobal.org/vocab/lis/v2/institution/person#Administrator").endswith(
        "person#Administrator"
    )
