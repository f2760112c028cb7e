"""Service-backed tests may skip locally but never in CI (REQUIRE_SERVICES=1, set by .ci/run)."""

import os

import pytest


def skip_or_fail(reason: str) -> None:
    """Skip where a service is absent; fail instead when CI requires every service test."""
    if os.environ.get("REQUIRE_SERVICES") == "1":
        pytest.fail(f"required in CI (REQUIRE_SERVICES=1): {reason}")
    pytest.skip(reason)
