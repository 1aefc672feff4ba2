"""The people around a learner: who is whose manager or mentor, and what each may see (decision 0019).

Only an ``active`` :class:`PartnerLink` counts; invited and ended ones grant nothing. Both ends of a link are
identities of one platform, so nothing here ever crosses platforms.
"""

from __future__ import annotations

from sqlalchemy import select

from lti_app.extensions import db
from lti_app.models.partners import ACTIVE, PartnerLink


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
            PartnerLink.kind == "manager",
            PartnerLink.state == ACTIVE,
            PartnerLink.partner_user_id.is_not(None),
        )
    )
    return frozenset((learner, manager) for learner, manager in rows if manager is not None)
