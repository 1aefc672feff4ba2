"""xAPI: sources with HTTP Basic credentials per platform, and the statements they sent

Revision ID: 0006_xapi
Revises: 0005_profile
Create Date: 2026-12-01 11:00:00.000000

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0006_xapi'
down_revision = '0005_profile'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('xapi_source',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('name', sa.String(length=100), nullable=False),
    sa.Column('platform_id', sa.Integer(), nullable=False),
    sa.Column('key', sa.String(length=64), nullable=False),
    sa.Column('secret_hash', sa.String(length=64), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('last_used_at', sa.DateTime(), nullable=True),
    sa.ForeignKeyConstraint(['platform_id'], ['platform.id'], name=op.f('fk_xapi_source_platform_id_platform'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_xapi_source')),
    sa.UniqueConstraint('key', name=op.f('uq_xapi_source_key')),
    sa.UniqueConstraint('name', name=op.f('uq_xapi_source_name'))
    )
    with op.batch_alter_table('xapi_source', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_xapi_source_platform_id'), ['platform_id'], unique=False)

    op.create_table('xapi_statement',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('statement_id', sa.String(length=36), nullable=False),
    sa.Column('platform_id', sa.Integer(), nullable=False),
    sa.Column('source_id', sa.Integer(), nullable=True),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('verb_id', sa.String(length=1000), nullable=False),
    sa.Column('digest', sa.String(length=64), nullable=False),
    sa.Column('statement', sa.JSON(), nullable=False),
    sa.Column('stored_at', sa.DateTime(), nullable=False),
    sa.Column('outcome', sa.String(length=20), nullable=False),
    sa.Column('note', sa.String(length=500), nullable=False),
    sa.Column('evidence_ids', sa.JSON(), nullable=False),
    sa.ForeignKeyConstraint(['platform_id'], ['platform.id'], name=op.f('fk_xapi_statement_platform_id_platform'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['source_id'], ['xapi_source.id'], name=op.f('fk_xapi_statement_source_id_xapi_source'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['user_id'], ['lti_user.id'], name=op.f('fk_xapi_statement_user_id_lti_user'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_xapi_statement')),
    sa.UniqueConstraint('statement_id', name=op.f('uq_xapi_statement_statement_id'))
    )
    with op.batch_alter_table('xapi_statement', schema=None) as batch_op:
        batch_op.create_index('ix_xapi_statement_platform_user', ['platform_id', 'user_id'], unique=False)
    # Evidence arriving over xAPI has no course (skill_evidence.context_pk NULL): 0005_profile allows that.


def downgrade():
    with op.batch_alter_table('xapi_statement', schema=None) as batch_op:
        batch_op.drop_index('ix_xapi_statement_platform_user')

    op.drop_table('xapi_statement')
    with op.batch_alter_table('xapi_source', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_xapi_source_platform_id'))

    op.drop_table('xapi_source')
