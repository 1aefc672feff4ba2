"""Grades operations: the claim's partial index, the causing request's id, and why a score is blocked

Revision ID: 0008_grades_ops
Revises: 0006_xapi
Create Date: 2026-12-01 11:00:00.000000

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0008_grades_ops'
down_revision = '0006_xapi'
branch_labels = None
depends_on = None

WAITING_SQL = "status IN ('pending', 'deferred')"


def upgrade():
    with op.batch_alter_table('score_delivery', schema=None) as batch_op:
        batch_op.add_column(sa.Column('request_id', sa.String(length=64), nullable=True))
        batch_op.add_column(sa.Column('blocked_by', sa.String(length=32), nullable=True))
    op.create_index(
        'ix_score_delivery_due',
        'score_delivery',
        ['next_attempt_at', 'id'],
        unique=False,
        postgresql_where=sa.text(WAITING_SQL),
        sqlite_where=sa.text(WAITING_SQL),
    )


def downgrade():
    op.drop_index('ix_score_delivery_due', table_name='score_delivery')
    with op.batch_alter_table('score_delivery', schema=None) as batch_op:
        batch_op.drop_column('blocked_by')
        batch_op.drop_column('request_id')
