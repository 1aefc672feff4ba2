"""Mentoring programme: offers, asks, requests, sessions, feedback

Revision ID: 0012_mentoring_programme
Revises: 0011_assessment_draft
Create Date: 2026-12-02 00:39:32

A programme is a course or (context_pk NULL) the whole platform; every row keeps its platform_id.
"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0012_mentoring_programme'
down_revision = '0011_assessment_draft'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('mentor_offer',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('platform_id', sa.Integer(), nullable=False),
    sa.Column('context_pk', sa.Integer(), nullable=True),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('capacity', sa.Integer(), nullable=False),
    sa.Column('skills', sa.JSON(), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('updated_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['context_pk'], ['context.id'], name=op.f('fk_mentor_offer_context_pk_context'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['platform_id'], ['platform.id'], name=op.f('fk_mentor_offer_platform_id_platform'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['user_id'], ['lti_user.id'], name=op.f('fk_mentor_offer_user_id_lti_user'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_mentor_offer'))
    )
    with op.batch_alter_table('mentor_offer', schema=None) as batch_op:
        batch_op.create_index('ix_mentor_offer_programme', ['platform_id', 'context_pk'], unique=False)
        batch_op.create_index(batch_op.f('ix_mentor_offer_user_id'), ['user_id'], unique=False)

    op.create_table('mentoring_ask',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('platform_id', sa.Integer(), nullable=False),
    sa.Column('context_pk', sa.Integer(), nullable=True),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('targets', sa.JSON(), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('updated_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['context_pk'], ['context.id'], name=op.f('fk_mentoring_ask_context_pk_context'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['platform_id'], ['platform.id'], name=op.f('fk_mentoring_ask_platform_id_platform'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['user_id'], ['lti_user.id'], name=op.f('fk_mentoring_ask_user_id_lti_user'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_mentoring_ask'))
    )
    with op.batch_alter_table('mentoring_ask', schema=None) as batch_op:
        batch_op.create_index('ix_mentoring_ask_programme', ['platform_id', 'context_pk'], unique=False)
        batch_op.create_index(batch_op.f('ix_mentoring_ask_user_id'), ['user_id'], unique=False)

    op.create_table('mentoring_request',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('platform_id', sa.Integer(), nullable=False),
    sa.Column('context_pk', sa.Integer(), nullable=True),
    sa.Column('mentee_user_id', sa.Integer(), nullable=False),
    sa.Column('mentor_user_id', sa.Integer(), nullable=False),
    sa.Column('state', sa.String(length=12), nullable=False),
    sa.Column('fit', sa.Float(), nullable=False),
    sa.Column('explanation', sa.JSON(), nullable=False),
    sa.Column('message', sa.Text(), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('answered_at', sa.DateTime(), nullable=True),
    sa.Column('ended_at', sa.DateTime(), nullable=True),
    sa.ForeignKeyConstraint(['context_pk'], ['context.id'], name=op.f('fk_mentoring_request_context_pk_context'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['mentee_user_id'], ['lti_user.id'], name=op.f('fk_mentoring_request_mentee_user_id_lti_user'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['mentor_user_id'], ['lti_user.id'], name=op.f('fk_mentoring_request_mentor_user_id_lti_user'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['platform_id'], ['platform.id'], name=op.f('fk_mentoring_request_platform_id_platform'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_mentoring_request'))
    )
    with op.batch_alter_table('mentoring_request', schema=None) as batch_op:
        batch_op.create_index('ix_mentoring_request_mentee', ['mentee_user_id', 'state'], unique=False)
        batch_op.create_index('ix_mentoring_request_mentor', ['mentor_user_id', 'state'], unique=False)
        batch_op.create_index('ix_mentoring_request_programme', ['platform_id', 'context_pk', 'state'], unique=False)

    op.create_table('mentoring_session',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('platform_id', sa.Integer(), nullable=False),
    sa.Column('context_pk', sa.Integer(), nullable=True),
    sa.Column('mentor_user_id', sa.Integer(), nullable=False),
    sa.Column('held_on', sa.Date(), nullable=False),
    sa.Column('agenda_template', sa.String(length=100), nullable=True),
    sa.Column('notes', sa.Text(), nullable=False),
    sa.Column('pair_count', sa.Integer(), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['context_pk'], ['context.id'], name=op.f('fk_mentoring_session_context_pk_context'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['mentor_user_id'], ['lti_user.id'], name=op.f('fk_mentoring_session_mentor_user_id_lti_user'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['platform_id'], ['platform.id'], name=op.f('fk_mentoring_session_platform_id_platform'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_mentoring_session'))
    )
    with op.batch_alter_table('mentoring_session', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_mentoring_session_mentor_user_id'), ['mentor_user_id'], unique=False)
        batch_op.create_index('ix_mentoring_session_programme', ['platform_id', 'context_pk', 'held_on'], unique=False)

    op.create_table('mentoring_feedback',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('request_id', sa.Integer(), nullable=False),
    sa.Column('author_user_id', sa.Integer(), nullable=False),
    sa.Column('author_party', sa.String(length=10), nullable=False),
    sa.Column('rating', sa.Integer(), nullable=False),
    sa.Column('text', sa.Text(), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['author_user_id'], ['lti_user.id'], name=op.f('fk_mentoring_feedback_author_user_id_lti_user'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['request_id'], ['mentoring_request.id'], name=op.f('fk_mentoring_feedback_request_id_mentoring_request'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_mentoring_feedback')),
    sa.UniqueConstraint('request_id', 'author_user_id', name=op.f('uq_mentoring_feedback_request_id_author_user_id'))
    )
    with op.batch_alter_table('mentoring_feedback', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_mentoring_feedback_request_id'), ['request_id'], unique=False)

    op.create_table('mentoring_session_pair',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('session_id', sa.Integer(), nullable=False),
    sa.Column('request_id', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['request_id'], ['mentoring_request.id'], name=op.f('fk_mentoring_session_pair_request_id_mentoring_request'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['session_id'], ['mentoring_session.id'], name=op.f('fk_mentoring_session_pair_session_id_mentoring_session'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_mentoring_session_pair')),
    sa.UniqueConstraint('session_id', 'request_id', name=op.f('uq_mentoring_session_pair_session_id_request_id'))
    )
    with op.batch_alter_table('mentoring_session_pair', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_mentoring_session_pair_request_id'), ['request_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_mentoring_session_pair_session_id'), ['session_id'], unique=False)



def downgrade():
    with op.batch_alter_table('mentoring_session_pair', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_mentoring_session_pair_session_id'))
        batch_op.drop_index(batch_op.f('ix_mentoring_session_pair_request_id'))

    op.drop_table('mentoring_session_pair')
    with op.batch_alter_table('mentoring_feedback', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_mentoring_feedback_request_id'))

    op.drop_table('mentoring_feedback')
    with op.batch_alter_table('mentoring_session', schema=None) as batch_op:
        batch_op.drop_index('ix_mentoring_session_programme')
        batch_op.drop_index(batch_op.f('ix_mentoring_session_mentor_user_id'))

    op.drop_table('mentoring_session')
    with op.batch_alter_table('mentoring_request', schema=None) as batch_op:
        batch_op.drop_index('ix_mentoring_request_programme')
        batch_op.drop_index('ix_mentoring_request_mentor')
        batch_op.drop_index('ix_mentoring_request_mentee')

    op.drop_table('mentoring_request')
    with op.batch_alter_table('mentoring_ask', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_mentoring_ask_user_id'))
        batch_op.drop_index('ix_mentoring_ask_programme')

    op.drop_table('mentoring_ask')
    with op.batch_alter_table('mentor_offer', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_mentor_offer_user_id'))
        batch_op.drop_index('ix_mentor_offer_programme')

    op.drop_table('mentor_offer')
