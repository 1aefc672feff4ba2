"""The learner's person-level profile: linking identities across platforms, sharing with a course, export.

Linking takes the learner in both launches: platform A's launch shows a one-time code (kept only as a keyed
hash, short-lived, used once), platform B's launch takes it. Unlinking separates the identities again; every
record keeps the identity that made it, so nothing moves either way.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import secrets
from datetime import UTC, date, datetime, timedelta
from typing import Any

from flask import current_app
from sqlalchemy import delete, select

from career_core.xapi import XAPI_VERSION
from lti_app.career import audit, evidence, partners, plans
from lti_app.career.access import context_pk, learner_id, own, person_ids
from lti_app.career.errors import Conflict, InvalidInput, NotFound
from lti_app.extensions import db
from lti_app.models.base import utcnow
from lti_app.models.career import (
    CareerTargetRecord,
    DevelopmentPlanRecord,
    ReflectionRecord,
    SelfAssessmentRecord,
)
from lti_app.models.people import Context, LaunchSession, LtiUser, Membership
from lti_app.models.platform import Platform
from lti_app.models.profile import SHARE_KINDS, LearnerProfile, ProfileLinkCode, RecordShare

CODE_ALPHABET = "ABCDEFGHJKMNPQRSTVWXYZ23456789"  # no 0/O, 1/I/L, U: read aloud and typed without mistakes
CODE_LENGTH = 10  # 30**10: about 49 bits, against a code that lives ten minutes
CODE_TTL = timedelta(minutes=10)
EXPORT_FORMAT = "career-toolkit-export/1"
EXPORT_FILENAME = "career-toolkit-data.json"


def _aware(moment: datetime | None) -> datetime | None:
    if moment is None:
        return None
    return moment.replace(tzinfo=UTC) if moment.tzinfo is None else moment.astimezone(UTC)


def _expired(moment: datetime) -> bool:
    aware = moment.replace(tzinfo=UTC) if moment.tzinfo is None else moment
    return aware <= datetime.now(UTC)


def _platform_of(user: LtiUser) -> Platform | None:
    return db.session.scalars(select(Platform).where(Platform.issuer == user.issuer).order_by(Platform.id)).first()


# --- the profile ------------------------------------------------------------------------------------------------


def profile_of(session: LaunchSession) -> dict[str, Any]:
    """The caller's identities (this one first) and what they share with this launch's course."""
    ids = person_ids(session.user)
    users = {u.id: u for u in db.session.scalars(select(LtiUser).where(LtiUser.id.in_(ids)))}
    identities = []
    for user_id in ids:
        user = users[user_id]
        platform = _platform_of(user)
        identities.append(
            {
                "id": user.id,
                "platform": platform.name if platform else user.issuer,
                "issuer": user.issuer,
                "this_launch": user.id == session.user_id,
            }
        )
    shared: set[str] = set()
    if session.context_pk is not None:
        shared = set(
            db.session.scalars(
                select(RecordShare.kind).where(
                    RecordShare.user_id == session.user_id, RecordShare.context_pk == session.context_pk
                )
            )
        )
    return {
        "identities": identities,
        "linked": len(identities) > 1,
        "shares": {kind: kind in shared for kind in SHARE_KINDS},
    }


# --- linking ----------------------------------------------------------------------------------------------------


def _hash(code: str) -> str:
    normalized = "".join(ch for ch in code.upper() if ch.isalnum())
    return hmac.new(current_app.config["SECRET_KEY"].encode(), normalized.encode(), hashlib.sha256).hexdigest()


def create_link_code(session: LaunchSession) -> dict[str, Any]:
    """A new one-time code for the caller's identity (earlier ones stop working). Commits."""
    db.session.execute(delete(ProfileLinkCode).where(ProfileLinkCode.user_id == session.user_id))
    raw = "".join(secrets.choice(CODE_ALPHABET) for _ in range(CODE_LENGTH))
    code = f"{raw[:5]}-{raw[5:]}"
    expires_at = utcnow() + CODE_TTL
    db.session.add(ProfileLinkCode(code_hash=_hash(code), user_id=session.user_id, expires_at=expires_at))
    db.session.commit()
    return {"code": code, "expires_at": _aware(expires_at)}


def redeem_link_code(session: LaunchSession, code: str) -> dict[str, Any]:
    """Link the identity that showed ``code`` with the caller's: one person from now on. Commits.

    The code is used up whatever the outcome. :raise InvalidInput: unknown, used or expired code.
    :raise Conflict: the code came from this same identity or platform, or the two are linked already.
    """
    row = db.session.scalars(select(ProfileLinkCode).where(ProfileLinkCode.code_hash == _hash(code or ""))).first()
    if row is None or _expired(row.expires_at):
        if row is not None:
            db.session.delete(row)
            db.session.commit()
        raise InvalidInput.field("code", "this code is unknown, used or expired: show a new one on your other platform")
    other = db.session.get(LtiUser, row.user_id)
    db.session.delete(row)
    db.session.commit()
    me = session.user
    assert other is not None  # the code row cascades with its user
    if other.id == me.id or other.issuer == me.issuer:
        raise Conflict("Enter the code in a launch from your other platform, not the one that showed it.")
    if other.id in person_ids(me):
        raise Conflict("These two identities are linked already.")
    profile_id = other.profile_id or me.profile_id
    if profile_id is None:
        person = LearnerProfile()
        db.session.add(person)
        db.session.flush()
        profile_id = person.id
    for user_id in {*person_ids(me), *person_ids(other)}:
        user = db.session.get(LtiUser, user_id)
        assert user is not None
        user.profile_id = profile_id
    _drop_empty_profiles()
    db.session.commit()
    return profile_of(session)


def unlink(session: LaunchSession, identity_id: int) -> dict[str, Any]:
    """Separate ``identity_id`` (the caller's own or a linked one) from the rest of the person. Commits.

    :raise NotFound: not one of the caller's identities. :raise Conflict: nothing is linked.
    """
    ids = person_ids(session.user)
    if identity_id not in ids:
        raise NotFound("No such identity in your profile.")
    if len(ids) < 2:
        raise Conflict("This identity is not linked to any other.")
    leaving = db.session.get(LtiUser, identity_id)
    assert leaving is not None
    leaving.profile_id = None
    if len(ids) == 2:  # the one left is a person on its own again
        for user_id in ids:
            user = db.session.get(LtiUser, user_id)
            assert user is not None
            user.profile_id = None
    db.session.flush()
    _drop_empty_profiles()
    db.session.commit()
    return profile_of(session)


def _drop_empty_profiles() -> None:
    db.session.flush()
    used = select(LtiUser.profile_id).where(LtiUser.profile_id.is_not(None))
    db.session.execute(delete(LearnerProfile).where(LearnerProfile.id.not_in(used)))


# --- sharing ----------------------------------------------------------------------------------------------------


def set_shares(session: LaunchSession, shares: dict[str, bool]) -> dict[str, Any]:
    """Share (or stop sharing) kinds of the caller's records with the staff of this launch's course. Commits.

    :raise InvalidInput: an unknown kind. :raise Forbidden: a launch without a course.
    """
    course = context_pk(session)
    unknown = sorted(set(shares) - set(SHARE_KINDS))
    if unknown:
        raise InvalidInput({kind: [f"not one of {', '.join(SHARE_KINDS)}"] for kind in unknown})
    for kind, wanted in shares.items():
        existing = db.session.scalars(
            select(RecordShare).filter_by(user_id=session.user_id, context_pk=course, kind=kind)
        ).first()
        if wanted and existing is None:
            db.session.add(RecordShare(user_id=session.user_id, context_pk=course, kind=kind))
        elif not wanted and existing is not None:
            db.session.delete(existing)
    db.session.commit()
    return profile_of(session)


# --- record reads -------------------------------------------------------------------------------------------------


def my_record_reads(session: LaunchSession) -> dict[str, Any]:
    """Who among staff read the caller's (the person's) private records, newest first."""
    return {"reads": audit.reads_of(person_ids(session.user))}


# --- export -------------------------------------------------------------------------------------------------------


def _course(context: Context | None) -> dict[str, Any] | None:
    if context is None:
        return None
    return {
        "platform": context.platform.name,
        "context_id": context.lti_context_id,
        "title": context.title,
        "label": context.label,
    }


def export(session: LaunchSession) -> dict[str, Any]:
    """Everything the toolkit holds about the caller (every linked identity), in one JSON document:
    evidence as xAPI 1.0.3 statements, earned credentials as Open Badges 3.0."""
    subject = own(session)
    ids = subject.reader_ids
    users = list(db.session.scalars(select(LtiUser).where(LtiUser.id.in_(ids)).order_by(LtiUser.id)))

    def rows(model: Any) -> list[Any]:
        return list(db.session.scalars(select(model).where(model.user_id.in_(ids)).order_by(model.id)))

    memberships, sittings, targets = rows(Membership), rows(SelfAssessmentRecord), rows(CareerTargetRecord)
    own_plans, answers, shares = rows(DevelopmentPlanRecord), rows(ReflectionRecord), rows(RecordShare)
    groups = (memberships, sittings, targets, own_plans, answers, shares)
    context_ids = {row.context_pk for group in groups for row in group}
    contexts = {c.id: c for c in db.session.scalars(select(Context).where(Context.id.in_(context_ids)))}
    statements = evidence.xapi_statements(
        subject, home_page=current_app.config["BASE_URL"], platform=session.platform.name
    )
    return {
        "format": EXPORT_FORMAT,
        "exported_at": datetime.now(UTC),
        "identities": [
            {
                "platform": (p.name if (p := _platform_of(u)) else None),
                "issuer": u.issuer,
                "sub": u.sub,
                "learner_id": learner_id(u),
                "name": u.name,
                "email": u.email,
                "first_seen_at": _aware(u.created_at),
                "last_launch_at": _aware(u.last_launch_at),
            }
            for u in users
        ],
        "courses": [
            {**(_course(contexts.get(m.context_pk)) or {}), "role": m.role, "last_seen_at": _aware(m.last_seen_at)}
            for m in memberships
        ],
        "self_assessments": [
            {
                "framework": s.framework.identifier,
                "taken_at": _aware(s.taken_at),
                "ratings": s.ratings,
                "course": _course(contexts.get(s.context_pk)),
            }
            for s in sittings
        ],
        "career_targets": [
            {
                "target_role_code": t.target_role_code,
                "current_role_code": t.current_role_code,
                "gap_reviewed_at": _aware(t.gap_reviewed_at),
                "updated_at": _aware(t.updated_at),
                "course": _course(contexts.get(t.context_pk)),
            }
            for t in targets
        ],
        "development_plans": [
            {
                **plans.plan_of_json(p),
                "course": _course(contexts.get(p.context_pk)),
                "checkins": plans.checkins_of(p),
            }
            for p in own_plans
        ],
        "reflections": [
            {
                "exercise": r.template_key,
                "answers": r.answers,
                "completion": r.completion,
                "complete": r.complete,
                "updated_at": _aware(r.updated_at),
                "course": _course(contexts.get(r.context_pk)),
            }
            for r in answers
        ],
        "evidence": {"version": XAPI_VERSION, "statements": statements, **evidence.attribution_of(subject)},
        "credentials": evidence.badge_credentials(
            subject,
            base_url=current_app.config["BASE_URL"],
            issuer_name="Career Toolkit",
            secret=current_app.config["SECRET_KEY"],
        ),
        "shares": [
            {"kind": s.kind, "course": _course(contexts.get(s.context_pk)), "since": _aware(s.created_at)}
            for s in shares
        ],
        "record_reads": audit.reads_of(ids, limit=10_000),
        "people": partners.my_people(session),
        "recognitions": partners.recognitions_for_export(session.user),
    }


def export_json(document: dict[str, Any]) -> str:
    """The export as the text of one JSON file (dates as ISO 8601)."""
    return json.dumps(document, indent=2, default=_json_default, ensure_ascii=False)


def _json_default(value: Any) -> Any:
    if isinstance(value, datetime | date):
        return value.isoformat()
    raise TypeError(f"not JSON: {type(value).__name__}")
