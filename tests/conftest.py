"""Shared fixtures: trackers and dispatchers for action tests, paths to the trained model, and the
rule that service-backed tests may skip locally but never in CI (REQUIRE_SERVICES=1)."""
import os
import sys
from pathlib import Path
from typing import Any, Dict, List, Optional

import pytest
from rasa_sdk import Tracker
from rasa_sdk.executor import CollectingDispatcher

PROJECT_ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(PROJECT_ROOT))
MODEL_PATH = PROJECT_ROOT / "models" / "current.tar.gz"
TEST_OUTPUT = PROJECT_ROOT / "test-output"
RASA_BIN = Path(sys.executable).parent / "rasa"


def skip_or_fail(reason: str) -> None:
    """Skip where a service is absent; fail instead when CI requires every service test."""
    if os.environ.get("REQUIRE_SERVICES") == "1":
        pytest.fail(f"required in CI (REQUIRE_SERVICES=1): {reason}")
    pytest.skip(reason)


def make_tracker(
    intent: Optional[str] = None,
    text: str = "",
    slots: Optional[Dict[str, Any]] = None,
    events: Optional[List[Dict[str, Any]]] = None,
    confidence: float = 0.95,
    active_loop: Optional[Dict[str, Any]] = None,
    sender_id: str = "test-user",
) -> Tracker:
    """A rasa-sdk Tracker whose latest user message has `intent` and `text`."""
    latest = {
        "text": text,
        "intent": {"name": intent, "confidence": confidence} if intent else {},
        "entities": [],
    }
    return Tracker(
        sender_id=sender_id,
        slots=slots or {},
        latest_message=latest,
        events=events or [],
        paused=False,
        followup_action=None,
        active_loop=active_loop or {},
        latest_action_name=None,
    )


@pytest.fixture
def dispatcher() -> CollectingDispatcher:
    return CollectingDispatcher()


@pytest.fixture
def domain() -> Dict[str, Any]:
    return {}


@pytest.fixture(scope="session")
def trained_model() -> Path:
    if not MODEL_PATH.exists():
        pytest.fail(f"{MODEL_PATH} is missing: run `make test` (it trains first) or `make train`")
    return MODEL_PATH


# Service fixtures (PostgreSQL, Redis) live in tests/services.py.
pytest_plugins = ["tests.services"]
