"""Career records: frameworks, self-assessments, targets, plans, check-ins, reflections and evidence.

Every learner record carries the identity (``user_id``, one person on one platform) AND the context it was
made in: its origin. The records belong to the person and follow them into every course (see
``lti_app.career.access``); course staff see what their course produced and what the learner shared.
The domain values themselves (ratings, plans, answers) are stored as the JSON career_core reads.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from sqlalchemy import JSON, Boolean, Float, ForeignKey, Index, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from lti_app.extensions import db
from lti_app.models.base import utcnow
from lti_app.models.people import Context, LtiUser

#: ``owner_key`` of a framework every platform sees (the packaged O*NET one, frameworks loaded by fixtures).
SHARED_OWNER = "shared"


def platform_owner_key(platform_id: int) -> str:
    return f"platform:{platform_id}"


class SkillFrameworkRecord(db.Model):  # type: ignore[name-defined]
    """A skills framework as career_core's ``SkillFramework`` (scale and skills kept whole as JSON).

    ``owner_key`` is :data:`SHARED_OWNER` or ``platform:<id>``: a framework an instructor imported is seen
    only by launches from that platform. The identifier is unique within an owner.
    """

    __tablename__ = "skill_framework"
    __table_args__ = (UniqueConstraint("owner_key", "identifier"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    owner_key: Mapped[str] = mapped_column(String(40), default=SHARED_OWNER, index=True)
    identifier: Mapped[str] = mapped_column(String(255), index=True)
    title: Mapped[str] = mapped_column(String(500))
    version: Mapped[str] = mapped_column(String(100), default="")
    # {"id", "name", "levels": [{"value", "name", "descriptor"}]}
    scale: Mapped[dict[str, Any]] = mapped_column(JSON)
    # [{"code", "name", "description", "category", "parent_code"}], in framework order
    skills: Mapped[list[dict[str, Any]]] = mapped_column(JSON)
    source: Mapped[str] = mapped_column(String(40), default="case_import")
    attribution: Mapped[str | None] = mapped_column(Text)
    license_url: Mapped[str | None] = mapped_column(String(1000))
    imported_by_user_id: Mapped[int | None] = mapped_column(ForeignKey("lti_user.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


class SelfAssessmentRecord(db.Model):  # type: ignore[name-defined]
    """One sitting of a self-assessment; sittings are never overwritten, so they form the history."""

    __tablename__ = "self_assessment"
    __table_args__ = (
        Index("ix_self_assessment_user_context", "user_id", "context_pk"),
        Index("ix_self_assessment_user_taken", "user_id", "taken_at", "id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("lti_user.id", ondelete="CASCADE"))
    context_pk: Mapped[int] = mapped_column(ForeignKey("context.id", ondelete="CASCADE"))
    resource_link_pk: Mapped[int | None] = mapped_column(ForeignKey("resource_link.id", ondelete="SET NULL"))
    framework_pk: Mapped[int] = mapped_column(ForeignKey("skill_framework.id", ondelete="CASCADE"))
    taken_at: Mapped[datetime] = mapped_column(default=utcnow)
    # [{"skill_code", "level", "confidence", "note"}]; every rating is dated by taken_at
    ratings: Mapped[list[dict[str, Any]]] = mapped_column(JSON)

    framework: Mapped[SkillFrameworkRecord] = relationship()


class LatestSkillLevel(db.Model):  # type: ignore[name-defined]
    """A learner's latest level of one skill from the sittings made in one course: the profile without the history.

    Kept by ``submit_assessment`` in the sitting's transaction (a later sitting overwrites the row), so a
    learner's profile is read in one small query and a cohort's levels are aggregated in SQL (decision 0021).
    ``rated_at`` and ``sitting_id`` order rows of the same skill from other courses or linked identities.
    """

    __tablename__ = "latest_skill_level"
    __table_args__ = (
        UniqueConstraint("user_id", "context_pk", "framework_pk", "skill_code"),
        Index("ix_latest_skill_level_cohort", "context_pk", "framework_pk", "skill_code", "level"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("lti_user.id", ondelete="CASCADE"))
    context_pk: Mapped[int] = mapped_column(ForeignKey("context.id", ondelete="CASCADE"))
    framework_pk: Mapped[int] = mapped_column(ForeignKey("skill_framework.id", ondelete="CASCADE"))
    skill_code: Mapped[str] = mapped_column(String(100))
    level: Mapped[int] = mapped_column(Integer)  # career_core takes whole levels only in a sitting
    rated_at: Mapped[datetime] = mapped_column()
    sitting_id: Mapped[int] = mapped_column(ForeignKey("self_assessment.id", ondelete="CASCADE"), index=True)


class CohortLevelTally(db.Model):  # type: ignore[name-defined]
    """How many of a course's latest levels of one skill sit at one level: kept with ``LatestSkillLevel`` (one
    down for the level left, one up for the level reached), so a cohort's distribution and averages are read
    from at most skills x levels rows, whatever the cohort's size (decision 0021)."""

    __tablename__ = "cohort_level_tally"
    __table_args__ = (UniqueConstraint("context_pk", "framework_pk", "skill_code", "level"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    context_pk: Mapped[int] = mapped_column(ForeignKey("context.id", ondelete="CASCADE"))
    framework_pk: Mapped[int] = mapped_column(ForeignKey("skill_framework.id", ondelete="CASCADE"))
    skill_code: Mapped[str] = mapped_column(String(100))
    level: Mapped[int] = mapped_column(Integer)
    learners: Mapped[int] = mapped_column(Integer, default=0)


class SelfAssessmentDraftRecord(db.Model):  # type: ignore[name-defined]
    """Levels a learner chose but has not submitted yet: one draft per learner, course and framework.

    A draft is not a sitting: it earns no score, no completion and no evidence. Submitting a sitting of the
    same framework deletes it.
    """

    __tablename__ = "self_assessment_draft"
    __table_args__ = (UniqueConstraint("user_id", "context_pk", "framework_pk"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("lti_user.id", ondelete="CASCADE"))
    context_pk: Mapped[int] = mapped_column(ForeignKey("context.id", ondelete="CASCADE"))
    framework_pk: Mapped[int] = mapped_column(ForeignKey("skill_framework.id", ondelete="CASCADE"))
    # {"skill_code": level}
    levels: Mapped[dict[str, int]] = mapped_column(JSON)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow)


class CareerTargetRecord(db.Model):  # type: ignore[name-defined]
    """The role a learner aims for from one career-path placement, and the role they hold now."""

    __tablename__ = "career_target"
    __table_args__ = (
        UniqueConstraint("user_id", "context_pk", "resource_link_pk"),
        Index("ix_career_target_user_context", "user_id", "context_pk"),
        Index("ix_career_target_context_role", "context_pk", "target_role_code"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("lti_user.id", ondelete="CASCADE"))
    context_pk: Mapped[int] = mapped_column(ForeignKey("context.id", ondelete="CASCADE"))
    resource_link_pk: Mapped[int] = mapped_column(ForeignKey("resource_link.id", ondelete="CASCADE"))
    target_role_code: Mapped[str] = mapped_column(String(20))
    current_role_code: Mapped[str | None] = mapped_column(String(20))
    gap_reviewed_at: Mapped[datetime | None] = mapped_column()
    updated_at: Mapped[datetime] = mapped_column(default=utcnow)


class DevelopmentPlanRecord(db.Model):  # type: ignore[name-defined]
    """A learner's development plan: ``plan`` is ``plan_to_dict``; status and review flag are copied out
    of it so instructors' lists can filter without reading the JSON."""

    __tablename__ = "development_plan"
    __table_args__ = (
        Index("ix_development_plan_user_context", "user_id", "context_pk"),
        Index("ix_development_plan_context_status", "context_pk", "status"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("lti_user.id", ondelete="CASCADE"))
    context_pk: Mapped[int] = mapped_column(ForeignKey("context.id", ondelete="CASCADE"))
    resource_link_pk: Mapped[int | None] = mapped_column(ForeignKey("resource_link.id", ondelete="SET NULL"))
    status: Mapped[str] = mapped_column(String(30), index=True)
    requires_review: Mapped[bool] = mapped_column(Boolean, default=True)
    plan: Mapped[dict[str, Any]] = mapped_column(JSON)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow)

    user: Mapped[LtiUser] = relationship()
    context: Mapped[Context] = relationship()


class CheckInRecord(db.Model):  # type: ignore[name-defined]
    """A career conversation recorded against a plan (``checkin`` is ``checkin_to_dict``)."""

    __tablename__ = "plan_checkin"
    __table_args__ = (Index("ix_plan_checkin_user_context", "user_id", "context_pk"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    plan_id: Mapped[int] = mapped_column(ForeignKey("development_plan.id", ondelete="CASCADE"), index=True)
    # The plan owner and context, repeated so every record answers the same scoping query.
    user_id: Mapped[int] = mapped_column(ForeignKey("lti_user.id", ondelete="CASCADE"))
    context_pk: Mapped[int] = mapped_column(ForeignKey("context.id", ondelete="CASCADE"))
    author_user_id: Mapped[int | None] = mapped_column(ForeignKey("lti_user.id", ondelete="SET NULL"))
    held_on: Mapped[date] = mapped_column()
    checkin: Mapped[dict[str, Any]] = mapped_column(JSON)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


class ReflectionRecord(db.Model):  # type: ignore[name-defined]
    """A learner's answers to one reflection exercise, with the completion career_core gave them."""

    __tablename__ = "reflection"
    __table_args__ = (
        UniqueConstraint("user_id", "context_pk", "template_key"),
        Index("ix_reflection_user_context", "user_id", "context_pk"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("lti_user.id", ondelete="CASCADE"))
    context_pk: Mapped[int] = mapped_column(ForeignKey("context.id", ondelete="CASCADE"))
    resource_link_pk: Mapped[int | None] = mapped_column(ForeignKey("resource_link.id", ondelete="SET NULL"))
    template_key: Mapped[str] = mapped_column(String(100))
    answers: Mapped[dict[str, Any]] = mapped_column(JSON)
    completion: Mapped[float] = mapped_column(Float, default=0.0)
    complete: Mapped[bool] = mapped_column(Boolean, default=False)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow)


class EvidenceRecordRow(db.Model):  # type: ignore[name-defined]
    """One ``EvidenceRecord``. Append-only: the services insert and read, never update or delete."""

    __tablename__ = "skill_evidence"
    __table_args__ = (
        Index("ix_skill_evidence_user_context", "user_id", "context_pk"),
        Index("ix_skill_evidence_user_recorded", "user_id", "recorded_at", "id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    # career_core's deterministic id: replaying a completion cannot add the same evidence twice.
    evidence_id: Mapped[str] = mapped_column(String(36), unique=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("lti_user.id", ondelete="CASCADE"))
    # The course the evidence came from; None for evidence from outside any course (an xAPI source).
    context_pk: Mapped[int | None] = mapped_column(ForeignKey("context.id", ondelete="CASCADE"))
    resource_link_pk: Mapped[int | None] = mapped_column(ForeignKey("resource_link.id", ondelete="SET NULL"))
    framework_pk: Mapped[int | None] = mapped_column(ForeignKey("skill_framework.id", ondelete="SET NULL"))
    learner_id: Mapped[str] = mapped_column(String(64))
    skill_code: Mapped[str] = mapped_column(String(100))
    level: Mapped[int | None] = mapped_column(Integer)
    source: Mapped[str] = mapped_column(String(40))
    recorded_at: Mapped[datetime] = mapped_column()
    activity_id: Mapped[str | None] = mapped_column(String(255))
    activity_url: Mapped[str | None] = mapped_column(String(1000))
    note: Mapped[str] = mapped_column(Text, default="")
    # Who confirmed the level, for "manager_verification" evidence (a manager or mentor, from their launch).
    attested_by_user_id: Mapped[int | None] = mapped_column(ForeignKey("lti_user.id", ondelete="SET NULL"))

    framework: Mapped[SkillFrameworkRecord | None] = relationship()
