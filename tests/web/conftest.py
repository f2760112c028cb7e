"""Fixtures for the widget's browser tests."""

from tests.support.browser import chromium  # noqa: F401 - a pytest fixture
