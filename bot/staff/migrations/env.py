"""Alembic's entry point for the staff database's migrations; see bot/migrations."""

from bot.migrations import run_environment

run_environment()
