"""Roster: the NRPS membership cache per context

Revision ID: 0004_roster
Revises: 0003_grades
Create Date: 2026-11-25 23:00:00.000000

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0004_roster'
down_revision = '0003_grades'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('roster_member',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('context_pk', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.String(length=255), nullable=False),
    sa.Column('name', sa.String(length=255), nullable=True),
    sa.Column('email', sa.String(length=320), nullable=True),
    sa.Column('role', sa.String(length=20), nullable=False),
    sa.Column('lti_roles', sa.JSON(), nullable=False),
    sa.Column('status', sa.String(length=16), nullable=False),
    sa.Column('fetched_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['context_pk'], ['context.id'], name=op.f('fk_roster_member_context_pk_context'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_roster_member')),
    sa.UniqueConstraint('context_pk', 'user_id', name=op.f('uq_roster_member_context_pk_user_id'))
    )
    with op.batch_alter_table('roster_member', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_roster_member_context_pk'), ['context_pk'], unique=False)


def downgrade():
    with op.batch_alter_table('roster_member', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_roster_member_context_pk'))

    op.drop_table('roster_member')
