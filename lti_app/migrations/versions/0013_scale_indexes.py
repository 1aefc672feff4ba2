"""Cohort views in constant queries: each learner's latest level per skill, the course's tally of them, and indexes

Revision ID: 0013_scale_indexes
Revises: 0012_mentoring_programme
Create Date: 2026-12-02 01:00:00.000000

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0013_scale_indexes'
down_revision = '0012_mentoring_programme'
branch_labels = None
depends_on = None

BATCH = 1000


def upgrade():
    op.create_table('latest_skill_level',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('context_pk', sa.Integer(), nullable=False),
    sa.Column('framework_pk', sa.Integer(), nullable=False),
    sa.Column('skill_code', sa.String(length=100), nullable=False),
    sa.Column('level', sa.Integer(), nullable=False),
    sa.Column('rated_at', sa.DateTime(), nullable=False),
    sa.Column('sitting_id', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['context_pk'], ['context.id'], name=op.f('fk_latest_skill_level_context_pk_context'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['framework_pk'], ['skill_framework.id'], name=op.f('fk_latest_skill_level_framework_pk_skill_framework'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['sitting_id'], ['self_assessment.id'], name=op.f('fk_latest_skill_level_sitting_id_self_assessment'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['user_id'], ['lti_user.id'], name=op.f('fk_latest_skill_level_user_id_lti_user'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_latest_skill_level')),
    sa.UniqueConstraint('user_id', 'context_pk', 'framework_pk', 'skill_code', name=op.f('uq_latest_skill_level_user_id_context_pk_framework_pk_skill_code'))
    )
    op.create_table('cohort_level_tally',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('context_pk', sa.Integer(), nullable=False),
    sa.Column('framework_pk', sa.Integer(), nullable=False),
    sa.Column('skill_code', sa.String(length=100), nullable=False),
    sa.Column('level', sa.Integer(), nullable=False),
    sa.Column('learners', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['context_pk'], ['context.id'], name=op.f('fk_cohort_level_tally_context_pk_context'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['framework_pk'], ['skill_framework.id'], name=op.f('fk_cohort_level_tally_framework_pk_skill_framework'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_cohort_level_tally')),
    sa.UniqueConstraint('context_pk', 'framework_pk', 'skill_code', 'level', name=op.f('uq_cohort_level_tally_context_pk_framework_pk_skill_code_level'))
    )
    op.create_index('ix_latest_skill_level_cohort', 'latest_skill_level', ['context_pk', 'framework_pk', 'skill_code', 'level'], unique=False)
    op.create_index(op.f('ix_latest_skill_level_sitting_id'), 'latest_skill_level', ['sitting_id'], unique=False)
    # A page of one learner's history or evidence is read in order from the index, not sorted from all of it.
    op.create_index('ix_self_assessment_user_taken', 'self_assessment', ['user_id', 'taken_at', 'id'], unique=False)
    op.create_index('ix_skill_evidence_user_recorded', 'skill_evidence', ['user_id', 'recorded_at', 'id'], unique=False)
    op.create_index('ix_membership_context_role', 'membership', ['context_pk', 'role', 'id'], unique=False)
    op.create_index('ix_development_plan_context_status', 'development_plan', ['context_pk', 'status'], unique=False)
    op.create_index('ix_career_target_context_role', 'career_target', ['context_pk', 'target_role_code'], unique=False)
    _backfill()


def _backfill():
    """The latest level per (learner, course, framework, skill) from the sittings already stored, oldest first so
    a later sitting overwrites; a tie on taken_at goes to the later sitting, as career_core's profile rule does."""
    bind = op.get_bind()
    sittings = sa.table(
        'self_assessment',
        sa.column('id', sa.Integer()), sa.column('user_id', sa.Integer()), sa.column('context_pk', sa.Integer()),
        sa.column('framework_pk', sa.Integer()), sa.column('taken_at', sa.DateTime()), sa.column('ratings', sa.JSON()),
    )
    latest = sa.table(
        'latest_skill_level',
        sa.column('user_id', sa.Integer()), sa.column('context_pk', sa.Integer()),
        sa.column('framework_pk', sa.Integer()), sa.column('skill_code', sa.String()), sa.column('level', sa.Integer()),
        sa.column('rated_at', sa.DateTime()), sa.column('sitting_id', sa.Integer()),
    )
    levels = {}
    query = sa.select(sittings).order_by(sittings.c.taken_at, sittings.c.id)
    for row in bind.execute(query.execution_options(yield_per=BATCH)):
        for rating in row.ratings or ():
            if rating.get('level') is None:
                continue
            key = (row.user_id, row.context_pk, row.framework_pk, str(rating['skill_code']))
            levels[key] = (int(rating['level']), row.taken_at, row.id)
    rows = [
        {'user_id': u, 'context_pk': c, 'framework_pk': f, 'skill_code': s, 'level': lv, 'rated_at': at, 'sitting_id': sid}
        for (u, c, f, s), (lv, at, sid) in levels.items()
    ]
    for start in range(0, len(rows), BATCH):
        bind.execute(latest.insert(), rows[start:start + BATCH])
    tally = sa.table(
        'cohort_level_tally',
        sa.column('context_pk', sa.Integer()), sa.column('framework_pk', sa.Integer()),
        sa.column('skill_code', sa.String()), sa.column('level', sa.Integer()), sa.column('learners', sa.Integer()),
    )
    counts = {}
    for (_, c, f, s), (lv, _, _) in levels.items():
        counts[(c, f, s, lv)] = counts.get((c, f, s, lv), 0) + 1
    tallies = [
        {'context_pk': c, 'framework_pk': f, 'skill_code': s, 'level': lv, 'learners': n}
        for (c, f, s, lv), n in counts.items()
    ]
    for start in range(0, len(tallies), BATCH):
        bind.execute(tally.insert(), tallies[start:start + BATCH])


def downgrade():
    op.drop_index('ix_career_target_context_role', table_name='career_target')
    op.drop_index('ix_development_plan_context_status', table_name='development_plan')
    op.drop_index('ix_membership_context_role', table_name='membership')
    op.drop_index('ix_skill_evidence_user_recorded', table_name='skill_evidence')
    op.drop_index('ix_self_assessment_user_taken', table_name='self_assessment')
    op.drop_index(op.f('ix_latest_skill_level_sitting_id'), table_name='latest_skill_level')
    op.drop_index('ix_latest_skill_level_cohort', table_name='latest_skill_level')
    op.drop_table('latest_skill_level')
    op.drop_table('cohort_level_tally')
