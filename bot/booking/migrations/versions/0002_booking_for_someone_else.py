"""Booking for someone else: the requester's name, what the patient is to them, and whose phone
or email the clinic should use (issue 13). Empty for a patient booking for themself.

Revision ID: 0002
Revises: 0001
Create Date: 2026-12-01
"""

import sqlalchemy as sa
from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("booking_requests") as batch:
        batch.add_column(sa.Column("requester_name", sa.String(length=200), nullable=True))
        batch.add_column(sa.Column("patient_relation", sa.String(length=40), nullable=True))
        batch.add_column(sa.Column("contact_is", sa.String(length=16), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("booking_requests") as batch:
        batch.drop_column("contact_is")
        batch.drop_column("patient_relation")
        batch.drop_column("requester_name")
