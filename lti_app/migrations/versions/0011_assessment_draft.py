"""Self-assessment drafts: levels chosen but not submitted, one per learner, course and framework

Revision ID: 0011_assessment_draft
Revises: 0010_partners
Create Date: 2026-12-01 11:00:00.000000

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0011_assessment_draft'
down_revision = '0010_partners'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('self_assessment_draft',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('context_pk', sa.Integer(), nullable=False),
    sa.Column('framework_pk', sa.Integer(), nullable=False),
    sa.Column('levels', sa.JSON(), nullable=False),
    sa.Column('updated_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['context_pk'], ['context.id'], name=op.f('fk_self_assessment_draft_context_pk_context'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['framework_pk'], ['skill_framework.id'], name=op.f('fk_self_assessment_draft_framework_pk_skill_framework'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['user_id'], ['lti_user.id'], name=op.f('fk_self_assessment_draft_user_id_lti_user'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_self_assessment_draft')),
    sa.UniqueConstraint('user_id', 'context_pk', 'framework_pk', name=op.f('uq_self_assessment_draft_user_id_context_pk_framework_pk'))
    )


def downgrade():
    op.drop_table('self_assessment_draft')
