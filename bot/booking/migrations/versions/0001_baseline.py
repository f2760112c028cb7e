"""Baseline: the booking store's tables as BookingStore created them before migrations.

A database made by that code (these tables, no booking_alembic_version) is stamped at this
revision instead of running it (bot/migrations). The statuses are written out: a migration keeps
the schema of its day, whatever bot.names says later.

Revision ID: 0001
Revises:
Create Date: 2026-11-30
"""

import sqlalchemy as sa
from alembic import op

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "booking_requests",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("reference", sa.String(length=16), nullable=False),
        sa.Column("idempotency_key", sa.String(length=64), nullable=False),
        sa.Column("conversation_id", sa.String(length=255), nullable=False),
        sa.Column("kind", sa.String(length=20), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("phone", sa.String(length=32), nullable=True),
        sa.Column("email", sa.String(length=320), nullable=True),
        sa.Column("preferred_time_text", sa.String(length=1000), nullable=False),
        sa.Column("preferred_time", sa.String(length=32), nullable=True),
        sa.Column("reason", sa.Text(), nullable=True),
        sa.Column("consent", sa.Boolean(), nullable=False),
        sa.Column("consented_at", sa.DateTime(), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("updated_at", sa.DateTime(), nullable=False),
        sa.CheckConstraint("consent", name="ck_booking_requests_consent"),
        sa.CheckConstraint(
            "status IN ('new', 'contacted', 'booked', 'closed')", name="ck_booking_requests_status"
        ),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("idempotency_key"),
        sa.UniqueConstraint("reference"),
    )
    op.create_index("ix_booking_requests_conversation_id", "booking_requests", ["conversation_id"])
    op.create_table(
        "booking_notifications",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("reference", sa.String(length=16), nullable=False),
        sa.Column("channel", sa.String(length=16), nullable=False),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("attempts", sa.Integer(), nullable=False),
        sa.Column("last_error", sa.Text(), nullable=True),
        sa.Column("next_attempt_at", sa.DateTime(), nullable=False),
        sa.Column("sent_at", sa.DateTime(), nullable=True),
        sa.ForeignKeyConstraint(["reference"], ["booking_requests.reference"]),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("reference", "channel", name="uq_booking_notifications_channel"),
    )


def downgrade() -> None:
    op.drop_table("booking_notifications")
    op.drop_table("booking_requests")  # its index goes with it
