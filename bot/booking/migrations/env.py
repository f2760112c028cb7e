"""Alembic's entry point for the booking database's migrations; see bot/migrations."""

from bot.migrations import run_environment

run_environment()
