"""The people around a learner: who is whose manager or mentor, and what each may see (decision 0019).

Only an ``active`` :class:`PartnerLink` counts; invited and ended ones grant nothing. Both ends of a link are
identities of one platform, so nothing here ever crosses platforms.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
import uuid
from collections.abc import Iterable, Mapping
from datetime import UTC, datetime, timedelta
from typing import Any
from urllib.parse import quote

from flask import current_app
from sqlalchemy import delete, select

from career_core.badges import SkillAchievement, SkillAlignment, achievement_credential
from career_core.checkins import CheckInAuthorRole
from career_core.errors import ValidationError
from career_core.evidence import EvidenceSource
from career_core.evidence_rules import verification_evidence
from career_core.exercises import EXERCISE_TEMPLATES
from lti_app import credentials, keyring
from lti_app.career import assessments
from lti_app.career import evidence as evidence_service
from lti_app.career import plans as plans_service
from lti_app.career.access import Subject, context_pk, learner_id, person_ids
from lti_app.career.careers import catalog
from lti_app.career.errors import Conflict, Forbidden, InvalidInput, NotFound
from lti_app.career.evidence import record_evidence
from lti_app.extensions import db
from lti_app.lti.roles import is_mentor_role
from lti_app.models.base import utcnow
from lti_app.models.career import (
    CheckInRecord,
    DevelopmentPlanRecord,
    EvidenceRecordRow,
    ReflectionRecord,
    SkillFrameworkRecord,
)
from lti_app.models.partners import (
    ACTIVE,
    ENDED,
    FROM_LINK,
    FROM_LTI_SCOPE,
    FROM_ROSTER,
    INVITED,
    MANAGER,
    MENTOR,
    PARTNER_KINDS,
    SHARE_ITEMS,
    PartnerLink,
    PartnerShare,
    RecognitionRecord,
)
from lti_app.models.people import LaunchSession, LtiUser
from lti_app.models.profile import RecordAccess
from lti_app.roster import service as roster_service
from lti_app.upsert import insert_or_get


def partners_of(learner_user_id: int, kind: str | None = None) -> frozenset[int]:
    """The user ids of the learner's active managers and mentors (only ``kind``, when given)."""
    query = select(PartnerLink.partner_user_id).where(
        PartnerLink.learner_user_id == learner_user_id,
        PartnerLink.state == ACTIVE,
        PartnerLink.partner_user_id.is_not(None),
    )
    if kind is not None:
        query = query.where(PartnerLink.kind == kind)
    return frozenset(user_id for user_id in db.session.scalars(query) if user_id is not None)


def learners_of(partner_user_id: int, kind: str | None = None) -> frozenset[int]:
    """The user ids of the learners ``partner_user_id`` is an active manager or mentor of (only ``kind``)."""
    query = select(PartnerLink.learner_user_id).where(
        PartnerLink.partner_user_id == partner_user_id, PartnerLink.state == ACTIVE
    )
    if kind is not None:
        query = query.where(PartnerLink.kind == kind)
    return frozenset(db.session.scalars(query))


def manager_pairs(user_ids: frozenset[int] | set[int]) -> frozenset[tuple[int, int]]:
    """Every (learner, manager) pair among ``user_ids`` as learners: what the matching's must-not rule
    "not one's own manager" reads, in one query for a whole programme."""
    if not user_ids:
        return frozenset()
    rows = db.session.execute(
        select(PartnerLink.learner_user_id, PartnerLink.partner_user_id).where(
            PartnerLink.learner_user_id.in_(user_ids),
            PartnerLink.kind == MANAGER,
            PartnerLink.state == ACTIVE,
            PartnerLink.partner_user_id.is_not(None),
        )
    )
    return frozenset((learner, manager) for learner, manager in rows if manager is not None)


# --- the learner's side: invite, share, end ---------------------------------------------------------------------

INVITE_TTL = timedelta(days=7)
MAX_MESSAGE_LENGTH = 2000
ITEM_LABELS = {
    "plan": "Development plan",
    "checkins": "Check-ins",
    "assessment": "Self-assessment and skill evidence",
    "reflections": "Reflections",
}
_OPEN = (INVITED, ACTIVE)


def _aware(moment: datetime | None) -> datetime | None:
    if moment is None:
        return None
    return moment.replace(tzinfo=UTC) if moment.tzinfo is None else moment.astimezone(UTC)


def _now() -> datetime:
    return datetime.now(UTC)


def _hash(code: str) -> str:
    return hashlib.sha256(code.encode()).hexdigest()


def _kind(kind: str) -> str:
    """:raise InvalidInput: not manager or mentor."""
    if kind not in PARTNER_KINDS:
        raise InvalidInput.field("kind", f"{kind!r} is not one of {', '.join(PARTNER_KINDS)}")
    return kind


def items_of(link: PartnerLink) -> frozenset[str]:
    """What the learner shares with this link's partner now (read at every call: a revocation acts at once)."""
    return frozenset(db.session.scalars(select(PartnerShare.item).where(PartnerShare.link_id == link.id)))


def _link_json(link: PartnerLink, *, as_partner: bool) -> dict[str, Any]:
    other = link.learner if as_partner else link.partner
    return {
        "id": link.id,
        "kind": link.kind,
        "state": link.state,
        "source": link.source,
        "person": {"user_id": other.id, "name": other.display_name} if other is not None else None,
        "shared": sorted(items_of(link)),
        "invite_expires_at": _aware(link.invite_expires_at) if link.state == INVITED else None,
        "created_at": _aware(link.created_at),
    }


def my_people(session: LaunchSession) -> dict[str, Any]:
    """The caller's managers and mentors (open links they made), and the learners they support."""
    mine = db.session.scalars(
        select(PartnerLink)
        .where(PartnerLink.learner_user_id == session.user_id, PartnerLink.state.in_(_OPEN))
        .order_by(PartnerLink.id)
    )
    supporting = db.session.scalars(
        select(PartnerLink)
        .where(PartnerLink.partner_user_id == session.user_id, PartnerLink.state.in_(_OPEN))
        .order_by(PartnerLink.id)
    )
    return {
        "partners": [_link_json(link, as_partner=False) for link in mine],
        "supporting": [_link_json(link, as_partner=True) for link in supporting],
    }


def roster_candidates(session: LaunchSession) -> list[dict[str, str]]:
    """The members of the launch's course (NRPS roster, else those seen at launch) the caller could invite."""
    if session.context is None:
        return []
    members = roster_service.roster(session.context).members
    return [
        {"sub": member.user_id, "name": member.display_name}
        for member in members
        if member.user_id != session.user.sub and member.status == "Active"
    ]


def _open_link_exists(learner_id: int, partner_id: int, kind: str) -> bool:
    return (
        db.session.scalars(
            select(PartnerLink.id).where(
                PartnerLink.learner_user_id == learner_id,
                PartnerLink.partner_user_id == partner_id,
                PartnerLink.kind == kind,
                PartnerLink.state.in_(_OPEN),
            )
        ).first()
        is not None
    )


def invite_from_roster(session: LaunchSession, sub: str, kind: str) -> dict[str, Any]:
    """Invite a member of the course roster (by ``sub``) as the caller's manager or mentor; they accept from their
    own launch. Commits.

    :raise InvalidInput: unknown kind, or nobody with that ``sub`` on the course roster.
    :raise Conflict: oneself, or the same person already invited or active in that role.
    """
    _kind(kind)
    context_pk(session)
    if not any(member["sub"] == sub for member in roster_candidates(session)):
        if sub == session.user.sub:
            raise Conflict("You cannot be your own manager or mentor.")
        raise InvalidInput.field("sub", "nobody with this id is on the course roster")
    partner = insert_or_get(LtiUser, {"issuer": session.user.issuer, "sub": sub})
    if _open_link_exists(session.user_id, partner.id, kind):
        raise Conflict(f"{partner.display_name} is already invited or your {kind}.")
    link = PartnerLink(
        platform_id=session.platform_id,
        learner_user_id=session.user_id,
        partner_user_id=partner.id,
        kind=kind,
        state=INVITED,
        source=FROM_ROSTER,
        context_pk=session.context_pk,
    )
    db.session.add(link)
    db.session.commit()
    return _link_json(link, as_partner=False)


def create_invitation(session: LaunchSession, kind: str) -> dict[str, Any]:
    """A one-time invitation link for a manager or mentor: shown once, only its hash kept, valid for
    :data:`INVITE_TTL`. Commits. :raise InvalidInput: unknown kind."""
    _kind(kind)
    context_pk(session)
    code = secrets.token_urlsafe(32)
    expires_at = utcnow() + INVITE_TTL
    link = PartnerLink(
        platform_id=session.platform_id,
        learner_user_id=session.user_id,
        kind=kind,
        state=INVITED,
        source=FROM_LINK,
        context_pk=session.context_pk,
        invite_hash=_hash(code),
        invite_expires_at=expires_at,
    )
    db.session.add(link)
    db.session.commit()
    base = str(current_app.config["BASE_URL"]).rstrip("/")
    return {
        **_link_json(link, as_partner=False),
        "code": code,
        "url": f"{base}/partners/invitation/{code}",
        "expires_at": _aware(expires_at),
    }


def invitation_code(text: str) -> str:
    """The code from what the invited person pasted: the whole link or just the code."""
    return text.strip().rstrip("/").rpartition("/")[2]


def accept_invitation(session: LaunchSession, text: str) -> dict[str, Any]:
    """The caller (from their own launch) becomes the partner the invitation link asks for. Commits.

    Used once: a link that worked is cleared. :raise InvalidInput: unknown, used or expired.
    :raise Forbidden: the link is from another platform (it stays usable there).
    :raise Conflict: the learner's own link, or the caller already holds that role for the learner.
    """
    code = invitation_code(text)
    link = (
        db.session.scalars(select(PartnerLink).where(PartnerLink.invite_hash == _hash(code))).first() if code else None
    )
    if link is None or link.state != INVITED:
        raise InvalidInput.field("code", "this invitation is unknown or was used already")
    expires = _aware(link.invite_expires_at)
    if expires is None or expires <= _now():
        link.invite_hash, link.state, link.ended_at = None, ENDED, utcnow()
        db.session.commit()
        raise InvalidInput.field("code", "this invitation has expired: ask for a new one")
    if link.platform_id != session.platform_id:
        raise Forbidden("Open this invitation from a launch in the same LMS as the person who sent it.")
    if link.learner_user_id in person_ids(session.user):
        raise Conflict("This is your own invitation: send the link to your manager or mentor.")
    if _open_link_exists(link.learner_user_id, session.user_id, link.kind):
        raise Conflict(f"You are already this learner's {link.kind}.")
    link.partner_user_id = session.user_id
    link.state, link.invite_hash, link.invite_expires_at = ACTIVE, None, None
    link.updated_at = utcnow()
    db.session.commit()
    return _link_json(link, as_partner=True)


def _learners_link(session: LaunchSession, link_id: int) -> PartnerLink:
    """:raise NotFound: not an open link the caller made."""
    link = db.session.get(PartnerLink, link_id)
    if link is None or link.learner_user_id != session.user_id or link.state not in _OPEN:
        raise NotFound("No such manager or mentor.")
    return link


def _invited_link(session: LaunchSession, link_id: int) -> PartnerLink:
    """:raise NotFound: not an open link naming the caller as partner."""
    link = db.session.get(PartnerLink, link_id)
    if link is None or link.partner_user_id != session.user_id or link.state not in _OPEN:
        raise NotFound("No such learner.")
    return link


def respond(session: LaunchSession, link_id: int, accept: bool) -> dict[str, Any]:
    """The invited partner accepts or declines a roster invitation. Commits.

    :raise NotFound: no invitation to the caller. :raise Conflict: already answered.
    """
    link = _invited_link(session, link_id)
    if link.state != INVITED:
        raise Conflict("This invitation was answered already.")
    link.state = ACTIVE if accept else ENDED
    link.updated_at = utcnow()
    if not accept:
        link.ended_at = utcnow()
    db.session.commit()
    return _link_json(link, as_partner=True)


def set_shares(session: LaunchSession, link_id: int, items: Iterable[str]) -> dict[str, Any]:
    """What the caller shares with one manager or mentor: exactly ``items`` from now on. Commits.

    :raise NotFound: not the caller's link. :raise InvalidInput: an unknown item.
    """
    link = _learners_link(session, link_id)
    wanted = set(items)
    unknown = sorted(wanted - set(SHARE_ITEMS))
    if unknown:
        raise InvalidInput.field("items", f"{', '.join(map(repr, unknown))}: not one of {', '.join(SHARE_ITEMS)}")
    current = items_of(link)
    db.session.execute(
        delete(PartnerShare).where(PartnerShare.link_id == link.id, PartnerShare.item.in_(current - wanted))
    )
    db.session.add_all(PartnerShare(link_id=link.id, item=item) for item in sorted(wanted - current))
    link.updated_at = utcnow()
    db.session.commit()
    return _link_json(link, as_partner=False)


def end_link(session: LaunchSession, link_id: int) -> dict[str, Any]:
    """End a relationship, by the learner or by the partner; nothing stays shared. Commits. :raise NotFound:"""
    link = db.session.get(PartnerLink, link_id)
    if link is None or link.state not in _OPEN or session.user_id not in (link.learner_user_id, link.partner_user_id):
        raise NotFound("No such relationship.")
    db.session.execute(delete(PartnerShare).where(PartnerShare.link_id == link.id))
    link.state, link.invite_hash, link.ended_at, link.updated_at = ENDED, None, utcnow(), utcnow()
    db.session.commit()
    return _link_json(link, as_partner=link.partner_user_id == session.user_id)


# --- LTI role_scope_mentor ---------------------------------------------------------------------------------------


def sync_scope_mentor(session: LaunchSession, lti_roles: Iterable[str], mentored_subs: object) -> None:
    """Make a Mentor launch's user the mentor of exactly the users its ``role_scope_mentor`` claim lists (on the
    launch's platform): links for newly listed users become active, ``lti_scope`` links for users no longer listed
    end. Launches without the Mentor role change nothing. Commits when something changed."""
    if not is_mentor_role(lti_roles):
        return
    subs = (
        {str(sub) for sub in mentored_subs if isinstance(sub, str) and sub}
        if isinstance(mentored_subs, list)
        else set()
    )
    subs.discard(session.user.sub)
    existing = {
        link.learner.sub: link
        for link in db.session.scalars(
            select(PartnerLink).where(
                PartnerLink.partner_user_id == session.user_id,
                PartnerLink.source == FROM_LTI_SCOPE,
                PartnerLink.state == ACTIVE,
            )
        )
    }
    changed = False
    for sub, link in existing.items():
        if sub not in subs:
            db.session.execute(delete(PartnerShare).where(PartnerShare.link_id == link.id))
            link.state, link.ended_at, link.updated_at = ENDED, utcnow(), utcnow()
            changed = True
    for sub in sorted(subs - set(existing)):
        learner = insert_or_get(LtiUser, {"issuer": session.user.issuer, "sub": sub})
        db.session.add(
            PartnerLink(
                platform_id=session.platform_id,
                learner_user_id=learner.id,
                partner_user_id=session.user_id,
                kind=MENTOR,
                state=ACTIVE,
                source=FROM_LTI_SCOPE,
            )
        )
        changed = True
    if changed:
        db.session.commit()


# --- the partner's side: what a learner shared, check-ins, verification, recognition ----------------------------


def _active_link(session: LaunchSession, link_id: int) -> PartnerLink:
    """:raise NotFound: not an active link naming the caller as partner (so, on the caller's platform)."""
    link = db.session.get(PartnerLink, link_id)
    if link is None or link.partner_user_id != session.user_id or link.state != ACTIVE:
        raise NotFound("No such learner.")
    return link


def _needs(link: PartnerLink, *items: str) -> frozenset[str]:
    """:raise Forbidden: the learner shares none of ``items`` with the caller."""
    shared = items_of(link)
    if not shared & set(items):
        names = " or ".join(ITEM_LABELS[item].lower() for item in items)
        raise Forbidden(f"{link.learner.display_name} does not share their {names} with you.")
    return shared


def _log(session: LaunchSession, link: PartnerLink, what: str) -> None:
    """A partner's read of a learner's private records, in the record-read log the learner sees. Commits."""
    db.session.add(
        RecordAccess(
            subject_user_id=link.learner_user_id,
            actor_user_id=session.user_id,
            actor_role=link.kind,
            context_pk=session.context_pk,
            what=what[:100],
            via="partner",
        )
    )
    db.session.commit()


def _learner_subject(link: PartnerLink) -> Subject:
    """The learner as a person (every identity they linked, every course): the items filter what is read."""
    return Subject(link.learner, None, owner_ids=person_ids(link.learner))


def _plans(link: PartnerLink) -> list[DevelopmentPlanRecord]:
    return plans_service.plans_of(_learner_subject(link))


def learner_view(session: LaunchSession, link_id: int) -> dict[str, Any]:
    """One learner as the caller (their manager or mentor) sees them: only the items shared, read now; logged.

    :raise NotFound: no active link from that learner to the caller.
    """
    link = _active_link(session, link_id)
    shared = items_of(link)
    subject = _learner_subject(link)
    view: dict[str, Any] = {"link": _link_json(link, as_partner=True), "shared": sorted(shared)}
    plan_rows = _plans(link) if shared & {"plan", "checkins"} else []
    if "plan" in shared:
        view["plans"] = [_plan_summary(row) for row in plan_rows]
    if "checkins" in shared:
        view["checkins"] = [c for row in plan_rows for c in conversation(row)]
    if "assessment" in shared:
        latest = assessments.sittings(subject)[-1:] or []
        names = skill_names()
        view["assessment"] = {
            "taken_at": _aware(latest[0].taken_at) if latest else None,
            "ratings": [
                {**rating, "skill_name": names.get(rating["skill_code"], rating["skill_code"])}
                for rating in (latest[0].ratings if latest else [])
            ],
        }
    if "reflections" in shared:
        view["reflections"] = [
            {"key": row.template_key, "title": _exercise_title(row.template_key), "answers": row.answers}
            for row in db.session.scalars(
                select(ReflectionRecord)
                .where(ReflectionRecord.user_id.in_(subject.reader_ids))
                .order_by(ReflectionRecord.updated_at.desc())
            )
        ]
    view["verifications"] = verifications_of(link.learner) if shared & {"assessment", "plan"} else []
    view["recognitions"] = recognitions_of(link.learner) if "plan" in shared else []
    if shared:
        _log(session, link, "shared items: " + ", ".join(sorted(shared)))
    return view


def _exercise_title(key: str) -> str:
    template = EXERCISE_TEMPLATES.get(key)
    return template.title if template is not None else key


def skill_names() -> dict[str, str]:
    return {skill.code: skill.name for skill in catalog().framework.skills}


def _plan_summary(row: DevelopmentPlanRecord) -> dict[str, Any]:
    plan = plans_service.plan_of(row)
    names = skill_names()
    return {
        "id": row.id,
        "status": plan.status.value,
        "target_role_code": plan.target_role_code,
        "vision": plan.vision,
        "goals": [
            {
                "id": goal.id,
                "title": goal.title,
                "skill_code": goal.skill_code,
                "skill_name": names.get(goal.skill_code or "", goal.skill_code),
                "target_level": goal.target_level,
                "achieved": goal.achieved,
            }
            for goal in plan.goals
        ],
    }


def conversation(row: DevelopmentPlanRecord) -> list[dict[str, Any]]:
    """A plan's check-ins as a thread, oldest first: each with its author (from their launch) and role."""
    rows = db.session.execute(
        select(CheckInRecord, LtiUser)
        .outerjoin(LtiUser, LtiUser.id == CheckInRecord.author_user_id)
        .where(CheckInRecord.plan_id == row.id)
        .order_by(CheckInRecord.held_on, CheckInRecord.id)
    ).all()
    return [
        {
            **plans_service.checkin_json(checkin),
            "author_name": author.display_name if author is not None else checkin.checkin.get("author_name"),
        }
        for checkin, author in rows
    ]


def partner_checkin(session: LaunchSession, link_id: int, plan_id: int, data: Mapping[str, Any]) -> dict[str, Any]:
    """Record a check-in on a shared plan as the learner's manager or mentor, in the caller's own name. Commits.

    :raise NotFound: no such link or plan of that learner. :raise Forbidden: the plan is not shared.
    :raise InvalidInput: what career_core's ``parse_checkin`` refuses.
    """
    link = _active_link(session, link_id)
    _needs(link, "plan")
    row = next((plan for plan in _plans(link) if plan.id == plan_id), None)
    if row is None:
        raise NotFound("No such plan.")
    return plans_service.record_checkin(session, row, CheckInAuthorRole(link.kind), data)


def verify_skill(session: LaunchSession, link_id: int, skill_code: str, level: int, note: str = "") -> dict[str, Any]:
    """Confirm the learner's level on a skill, as their manager or mentor: evidence "manager_verification"
    attested by the caller. Commits.

    :raise NotFound: no such link. :raise Forbidden: neither plan nor assessment shared.
    :raise InvalidInput: unknown skill, level off the scale, note too long.
    """
    link = _active_link(session, link_id)
    _needs(link, "assessment", "plan")
    framework = catalog().framework
    errors: dict[str, list[str]] = {}
    if skill_code not in skill_names():
        errors["skill_code"] = [f"{skill_code!r} is not a skill of {framework.title}"]
    levels = [level.value for level in framework.scale.levels]
    if isinstance(level, bool) or not isinstance(level, int) or level not in levels:
        errors["level"] = [f"must be one of {', '.join(map(str, levels))}"]
    if len(note) > MAX_MESSAGE_LENGTH:
        errors["note"] = [f"at most {MAX_MESSAGE_LENGTH} characters"]
    if errors:
        raise InvalidInput(errors)
    learner = link.learner
    try:
        records = verification_evidence(
            learner_id=learner_id(learner),
            verifier_id=learner_id(session.user),
            skill_code=skill_code,
            level=level,
            recorded_at=_now(),
            activity_id=f"verification/{link.id}",
            note=note.strip(),
        )
    except ValidationError as error:
        raise InvalidInput.from_domain(error) from error
    framework_pk = db.session.scalars(
        select(SkillFrameworkRecord.id).where(SkillFrameworkRecord.identifier == framework.identifier)
    ).first()
    rows = record_evidence(Subject(learner, None), records, resource_link_pk=None, framework_pk=framework_pk)
    for row in rows:
        row.attested_by_user_id = session.user_id
    db.session.commit()
    return verifications_of(learner)[-1]


def verifications_of(learner: LtiUser) -> list[dict[str, Any]]:
    """The person's skill levels others verified, oldest first, with who verified them: shown apart from
    self-ratings."""
    names = skill_names()
    rows = db.session.execute(
        select(EvidenceRecordRow, LtiUser)
        .outerjoin(LtiUser, LtiUser.id == EvidenceRecordRow.attested_by_user_id)
        .where(
            EvidenceRecordRow.user_id.in_(person_ids(learner)),
            EvidenceRecordRow.source == EvidenceSource.MANAGER_VERIFICATION.value,
        )
        .order_by(EvidenceRecordRow.recorded_at, EvidenceRecordRow.id)
    ).all()
    return [
        {
            "id": row.evidence_id,
            "skill_code": row.skill_code,
            "skill_name": names.get(row.skill_code, row.skill_code),
            "level": row.level,
            "verified_by": verifier.display_name if verifier is not None else "A former manager or mentor",
            "verifier_role": _role_of(verifier, learner),
            "note": row.note,
            "recorded_at": _aware(row.recorded_at),
        }
        for row, verifier in rows
    ]


def _role_of(partner: LtiUser | None, learner: LtiUser) -> str:
    if partner is None:
        return "manager or mentor"
    kinds = db.session.scalars(
        select(PartnerLink.kind).where(
            PartnerLink.partner_user_id == partner.id, PartnerLink.learner_user_id.in_(person_ids(learner))
        )
    ).all()
    return MANAGER if MANAGER in kinds else (kinds[0] if kinds else "manager or mentor")


def recognise(
    session: LaunchSession, link_id: int, plan_id: int, goal_id: str, message: str, *, credential: bool = False
) -> dict[str, Any]:
    """Recognise an achieved goal of a shared plan with a specific message; with ``credential``, also issue the
    OB 3.0 credential for the goal's skill when someone verified it. Commits.

    :raise NotFound: no such link, plan or goal. :raise Forbidden: the plan is not shared.
    :raise InvalidInput: empty or over-long message. :raise Conflict: the goal is not achieved, or a credential was
    asked for a goal with no verified skill.
    """
    link = _active_link(session, link_id)
    _needs(link, "plan")
    row = next((plan for plan in _plans(link) if plan.id == plan_id), None)
    goal = next((g for g in plans_service.plan_of(row).goals if g.id == goal_id), None) if row else None
    if row is None or goal is None:
        raise NotFound("No such goal.")
    text = (message or "").strip()
    if not text or len(text) > MAX_MESSAGE_LENGTH:
        raise InvalidInput.field(
            "message", f"say what was achieved and why it matters (1 to {MAX_MESSAGE_LENGTH} characters)"
        )
    if not goal.achieved:
        raise Conflict("Recognise a goal once it is achieved.")
    record = RecognitionRecord(
        user_id=row.user_id,
        context_pk=row.context_pk,
        plan_id=row.id,
        goal_id=goal.id,
        goal_title=goal.title,
        author_user_id=session.user_id,
        author_role=link.kind,
        message=text,
    )
    if credential:
        record.credential = _sign_verified(link.learner, goal.skill_code, goal.title, text)
    db.session.add(record)
    db.session.commit()
    return _recognition_json(record, session.user)


def _sign_verified(learner: LtiUser, skill_code: str | None, goal_title: str, message: str) -> str:
    """The OB 3.0 credential (VC-JWT signed with the tool's key) for a verified skill. :raise Conflict:"""
    verified = list(
        db.session.scalars(
            select(EvidenceRecordRow).where(
                EvidenceRecordRow.user_id.in_(person_ids(learner)),
                EvidenceRecordRow.source == EvidenceSource.MANAGER_VERIFICATION.value,
                EvidenceRecordRow.skill_code == (skill_code or ""),
            )
        )
    )
    if not verified:
        raise Conflict("A credential needs the goal's skill verified by a manager or mentor first.")
    issuer = credentials.tool_issuer()
    base = issuer.id.rstrip("/")
    framework = catalog().framework
    framework_ref = quote(framework.identifier, safe="")
    skill_ref = quote(skill_code or "", safe="")
    name = skill_names().get(skill_code or "", skill_code or "")
    achievement = SkillAchievement(
        id=f"{base}/api/v1/achievements/{framework_ref}/{skill_ref}",
        name=name,
        description=f"Achieved the development goal {goal_title!r}, with {name} verified.",
        criteria_narrative=f"Level verified by the learner's manager or mentor. Recognition: {message}",
        alignment=SkillAlignment(
            target_code=skill_code or "",
            target_name=name,
            target_url=f"{base}/api/v1/frameworks/{framework_ref}?format=case#{skill_ref}",
            target_framework=framework.title,
        ),
    )
    salt = hmac.new(current_app.config["SECRET_KEY"].encode(), learner_id(learner).encode(), hashlib.sha256)
    document = achievement_credential(
        achievement,
        [evidence_service.domain_record(row) for row in verified],
        credential_id=f"urn:uuid:{uuid.uuid4()}",
        issuer=issuer,
        identity_salt=salt.hexdigest()[:16],
    )
    keyring.ensure_active_key(current_app.config["SECRET_KEY"])
    return credentials.sign_credential(document)


def _recognition_json(record: RecognitionRecord, author: LtiUser | None) -> dict[str, Any]:
    return {
        "id": record.id,
        "plan_id": record.plan_id,
        "goal_id": record.goal_id,
        "goal_title": record.goal_title,
        "message": record.message,
        "author_name": author.display_name if author is not None else "A former manager or mentor",
        "author_role": record.author_role,
        "created_at": _aware(record.created_at),
        "has_credential": record.credential is not None,
    }


def _recognitions(learner: LtiUser) -> list[Any]:
    """(recognition, author) rows the person received, newest first."""
    return list(
        db.session.execute(
            select(RecognitionRecord, LtiUser)
            .outerjoin(LtiUser, LtiUser.id == RecognitionRecord.author_user_id)
            .where(RecognitionRecord.user_id.in_(person_ids(learner)))
            .order_by(RecognitionRecord.created_at.desc(), RecognitionRecord.id.desc())
        ).all()
    )


def recognitions_of(learner: LtiUser) -> list[dict[str, Any]]:
    """The recognition the person received, newest first."""
    return [_recognition_json(record, author) for record, author in _recognitions(learner)]


def recognitions_for_export(learner: LtiUser) -> list[dict[str, Any]]:
    """The person's recognition for their data download, each issued credential with it (as a VC envelope)."""
    return [
        {
            **_recognition_json(record, author),
            "credential": _envelope(record.credential) if record.credential is not None else None,
        }
        for record, author in _recognitions(learner)
    ]


def _envelope(vc_jwt: str) -> dict[str, Any]:
    return {
        "@context": ["https://www.w3.org/ns/credentials/v2"],
        "id": f"data:application/vc+jwt,{vc_jwt}",
        "type": "EnvelopedVerifiableCredential",
    }


def my_recognition(session: LaunchSession) -> dict[str, Any]:
    """What the caller's managers and mentors verified and recognised."""
    return {"verifications": verifications_of(session.user), "recognitions": recognitions_of(session.user)}


def credential_document(session: LaunchSession, recognition_id: int) -> dict[str, Any]:
    """The caller's credential as a W3C VC 2.0 ``EnvelopedVerifiableCredential``: JSON whose ``id`` carries the
    VC-JWT; it verifies with the tool's published key. :raise NotFound: not the caller's, or no credential."""
    record = db.session.get(RecognitionRecord, recognition_id)
    if record is None or record.user_id not in person_ids(session.user) or record.credential is None:
        raise NotFound("No such credential.")
    return _envelope(record.credential)
