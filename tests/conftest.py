"""Shared fixtures (dispatchers and domains for action tests, the trained model) and the service
fixtures (tests/support/services.py). Helpers for tests and benchmarks live in tests/support/."""
from pathlib import Path
from typing import Any, Dict

import pytest
from rasa_sdk.executor import CollectingDispatcher

from tests.support.paths import MODEL_PATH

# Service fixtures (PostgreSQL, Redis) live in tests/support/services.py.
pytest_plugins = ["tests.support.services"]


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
