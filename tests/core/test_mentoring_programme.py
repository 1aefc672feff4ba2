"""The mentoring programme's rules: the request state machine, offers, asks, sessions and feedback."""

from __future__ import annotations

from datetime import date

import pytest

from career_core.errors import ValidationError
from career_core.mentoring_programme import (
    TRANSITIONS,
    Party,
    RequestAction,
    RequestState,
    RequestTransitionError,
    allowed_actions,
    parse_ask,
    parse_feedback,
    parse_message,
    parse_offer,
    parse_session,
    seat_taken,
    transition,
)

SKILLS = ("2.A.1.a", "2.A.1.b", "2.A.1.c")
LEVELS = range(8)


class TestRequestStateMachine:
    def test_the_mentor_accepts_or_declines_a_request(self) -> None:
        assert transition(RequestState.REQUESTED, RequestAction.ACCEPT, Party.MENTOR) is RequestState.ACCEPTED
        assert transition(RequestState.REQUESTED, RequestAction.DECLINE, Party.MENTOR) is RequestState.DECLINED

    def test_the_mentee_cannot_answer_their_own_request_and_the_mentor_cannot_withdraw_it(self) -> None:
        for action in (RequestAction.ACCEPT, RequestAction.DECLINE):
            with pytest.raises(RequestTransitionError, match=r"Only the mentor"):
                transition(RequestState.REQUESTED, action, Party.MENTEE)
        with pytest.raises(RequestTransitionError, match=r"Only the mentee"):
            transition(RequestState.REQUESTED, RequestAction.WITHDRAW, Party.MENTOR)

    def test_either_person_ends_an_accepted_pair_and_nothing_follows_an_end(self) -> None:
        for party in Party:
            assert transition(RequestState.ACCEPTED, RequestAction.END, party) is RequestState.ENDED
        for state in (RequestState.ENDED, RequestState.DECLINED, RequestState.WITHDRAWN):
            for action in RequestAction:
                for party in Party:
                    with pytest.raises(RequestTransitionError):
                        transition(state, action, party)

    def test_a_request_not_accepted_cannot_be_ended_and_an_accepted_one_not_answered_again(self) -> None:
        with pytest.raises(RequestTransitionError, match=r"requested request cannot be ended"):
            transition(RequestState.REQUESTED, RequestAction.END, Party.MENTEE)
        with pytest.raises(RequestTransitionError):
            transition(RequestState.ACCEPTED, RequestAction.DECLINE, Party.MENTOR)

    def test_allowed_actions_follow_the_table(self) -> None:
        assert allowed_actions(RequestState.REQUESTED, Party.MENTOR) == (RequestAction.ACCEPT, RequestAction.DECLINE)
        assert allowed_actions(RequestState.REQUESTED, Party.MENTEE) == (RequestAction.WITHDRAW,)
        assert allowed_actions(RequestState.ACCEPTED, Party.MENTEE) == (RequestAction.END,)
        assert allowed_actions(RequestState.ENDED, Party.MENTOR) == ()
        every = {(s, a, p) for (s, a), (parties, _) in TRANSITIONS.items() for p in parties}
        assert every == {(s, a, p) for s in RequestState for p in Party for a in allowed_actions(s, p)}

    def test_a_mentor_at_capacity_takes_no_one_more(self) -> None:
        assert not seat_taken(0, 1) and seat_taken(1, 1) and not seat_taken(2, 3) and seat_taken(3, 3)


class TestOfferAndAsk:
    def test_an_offer_names_known_skills_and_a_capacity_of_1_to_5(self) -> None:
        offer = parse_offer({"capacity": 3, "skills": ["2.A.1.b", "2.A.1.a"]}, SKILLS)
        assert offer.capacity == 3 and offer.skills == ("2.A.1.a", "2.A.1.b")
        with pytest.raises(ValidationError) as caught:
            parse_offer({"capacity": 6, "skills": ["nope", "2.A.1.a", "2.A.1.a"]}, SKILLS)
        assert len(caught.value.errors) == 3
        for capacity in (0, True, 1.5, "2"):
            with pytest.raises(ValidationError, match=r"offer\.capacity"):
                parse_offer({"capacity": capacity, "skills": ["2.A.1.a"]}, SKILLS)
        with pytest.raises(ValidationError, match=r"offer\.skills: name at least one skill"):
            parse_offer({"capacity": 1, "skills": []}, SKILLS)

    def test_an_ask_names_skills_and_levels_on_the_scale(self) -> None:
        assert parse_ask({"targets": {"2.A.1.b": 5, "2.A.1.a": 4}}, SKILLS, LEVELS) == {"2.A.1.a": 4, "2.A.1.b": 5}
        with pytest.raises(ValidationError) as caught:
            parse_ask({"targets": {"2.A.1.a": 9, "zz": 3}}, SKILLS, LEVELS)
        assert any("ask.targets.2.A.1.a" in e for e in caught.value.errors)
        assert any("'zz'" in e for e in caught.value.errors)
        with pytest.raises(ValidationError):
            parse_ask({"targets": {}}, SKILLS, LEVELS)


class TestSessionsAndFeedback:
    def test_a_session_is_held_with_accepted_pairs_within_capacity(self) -> None:
        one = parse_session({"held_on": "2026-11-30", "agenda_template": "strengths"}, [RequestState.ACCEPTED], 1)
        assert one.held_on == date(2026, 11, 30) and not one.is_group and one.agenda is not None
        group = parse_session({"held_on": "2026-11-30"}, [RequestState.ACCEPTED] * 3, 3)
        assert group.is_group and group.agenda is None

    def test_a_session_refuses_a_pair_not_accepted_a_group_over_capacity_and_an_unknown_agenda(self) -> None:
        with pytest.raises(ValidationError) as caught:
            parse_session(
                {"held_on": "30/11/2026", "agenda_template": "nope"},
                [RequestState.ACCEPTED, RequestState.ENDED],
                1,
            )
        text = " ".join(caught.value.errors)
        assert "session.held_on" in text and "agenda_template" in text
        assert "accepted mentees only" in text and "capacity of 1" in text
        with pytest.raises(ValidationError, match=r"at least one mentee"):
            parse_session({"held_on": "2026-11-30"}, [], 1)

    def test_feedback_is_a_rating_of_1_to_5_and_a_short_text(self) -> None:
        assert parse_feedback({"rating": 4, "text": " Helpful "}).text == "Helpful"
        for rating in (0, 6, None, True, 4.5):
            with pytest.raises(ValidationError, match=r"feedback\.rating"):
                parse_feedback({"rating": rating})
        with pytest.raises(ValidationError, match=r"feedback\.text"):
            parse_feedback({"rating": 3, "text": "x" * 501})
        with pytest.raises(ValidationError, match=r"request\.message"):
            parse_message({"message": "x" * 1001})
