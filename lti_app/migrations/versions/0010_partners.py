"""Partners: managers and mentors a learner grants (partner_link), per-item sharing, recognition; evidence attester

Revision ID: 0010_partners
Revises: 0008_grades_ops
Create Date: 2026-12-01 11:25:00

``skill_evidence`` gets its column with a plain ADD COLUMN (as 0005 did for ``lti_user``), never a batch copy.
"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0010_partners'
down_revision = '0008_grades_ops'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('partner_link',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('platform_id', sa.Integer(), nullable=False),
    sa.Column('learner_user_id', sa.Integer(), nullable=False),
    sa.Column('partner_user_id', sa.Integer(), nullable=True),
    sa.Column('kind', sa.String(length=10), nullable=False),
    sa.Column('state', sa.String(length=10), nullable=False),
    sa.Column('source', sa.String(length=10), nullable=False),
    sa.Column('context_pk', sa.Integer(), nullable=True),
    sa.Column('invite_hash', sa.String(length=64), nullable=True),
    sa.Column('invite_expires_at', sa.DateTime(), nullable=True),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('updated_at', sa.DateTime(), nullable=False),
    sa.Column('ended_at', sa.DateTime(), nullable=True),
    sa.ForeignKeyConstraint(['platform_id'], ['platform.id'], name=op.f('fk_partner_link_platform_id_platform'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['learner_user_id'], ['lti_user.id'], name=op.f('fk_partner_link_learner_user_id_lti_user'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['partner_user_id'], ['lti_user.id'], name=op.f('fk_partner_link_partner_user_id_lti_user'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['context_pk'], ['context.id'], name=op.f('fk_partner_link_context_pk_context'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_partner_link')),
    sa.UniqueConstraint('invite_hash', name=op.f('uq_partner_link_invite_hash'))
    )
    op.create_index(op.f('ix_partner_link_platform_id'), 'partner_link', ['platform_id'], unique=False)
    op.create_index('ix_partner_link_partner_state', 'partner_link', ['partner_user_id', 'state'], unique=False)
    op.create_index('ix_partner_link_learner_state', 'partner_link', ['learner_user_id', 'state'], unique=False)

    op.create_table('partner_share',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('link_id', sa.Integer(), nullable=False),
    sa.Column('item', sa.String(length=20), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['link_id'], ['partner_link.id'], name=op.f('fk_partner_share_link_id_partner_link'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_partner_share')),
    sa.UniqueConstraint('link_id', 'item', name=op.f('uq_partner_share_link_id_item'))
    )
    op.create_index(op.f('ix_partner_share_link_id'), 'partner_share', ['link_id'], unique=False)

    op.create_table('recognition',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('context_pk', sa.Integer(), nullable=False),
    sa.Column('plan_id', sa.Integer(), nullable=False),
    sa.Column('goal_id', sa.String(length=100), nullable=False),
    sa.Column('goal_title', sa.String(length=500), nullable=False),
    sa.Column('author_user_id', sa.Integer(), nullable=True),
    sa.Column('author_role', sa.String(length=10), nullable=False),
    sa.Column('message', sa.Text(), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('credential', sa.Text(), nullable=True),
    sa.ForeignKeyConstraint(['user_id'], ['lti_user.id'], name=op.f('fk_recognition_user_id_lti_user'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['context_pk'], ['context.id'], name=op.f('fk_recognition_context_pk_context'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['plan_id'], ['development_plan.id'], name=op.f('fk_recognition_plan_id_development_plan'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['author_user_id'], ['lti_user.id'], name=op.f('fk_recognition_author_user_id_lti_user'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_recognition'))
    )
    op.create_index('ix_recognition_user_context', 'recognition', ['user_id', 'context_pk'], unique=False)
    op.create_index(op.f('ix_recognition_plan_id'), 'recognition', ['plan_id'], unique=False)

    if op.get_bind().dialect.name == 'sqlite':
        op.execute(
            'ALTER TABLE skill_evidence ADD COLUMN attested_by_user_id INTEGER '
            'CONSTRAINT fk_skill_evidence_attested_by_user_id_lti_user '
            'REFERENCES lti_user (id) ON DELETE SET NULL'
        )
    else:
        op.add_column('skill_evidence', sa.Column('attested_by_user_id', sa.Integer(), nullable=True))
        op.create_foreign_key(
            op.f('fk_skill_evidence_attested_by_user_id_lti_user'), 'skill_evidence', 'lti_user',
            ['attested_by_user_id'], ['id'], ondelete='SET NULL',
        )


def downgrade():
    if op.get_bind().dialect.name == 'sqlite':
        op.execute('ALTER TABLE skill_evidence DROP COLUMN attested_by_user_id')
    else:
        op.drop_constraint(op.f('fk_skill_evidence_attested_by_user_id_lti_user'), 'skill_evidence', type_='foreignkey')
        op.drop_column('skill_evidence', 'attested_by_user_id')
    op.drop_index(op.f('ix_recognition_plan_id'), table_name='recognition')
    op.drop_index('ix_recognition_user_context', table_name='recognition')
    op.drop_table('recognition')
    op.drop_index(op.f('ix_partner_share_link_id'), table_name='partner_share')
    op.drop_table('partner_share')
    op.drop_index('ix_partner_link_learner_state', table_name='partner_link')
    op.drop_index('ix_partner_link_partner_state', table_name='partner_link')
    op.drop_index(op.f('ix_partner_link_platform_id'), table_name='partner_link')
    op.drop_table('partner_link')
