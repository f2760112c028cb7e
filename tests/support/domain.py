"""The assistant's domain (domain.yml) as tests read it."""

from functools import lru_cache
from typing import Any

from bot.paths import DOMAIN_FILE
from bot.yamlfile import load_yaml_mapping


@lru_cache(maxsize=1)
def load_domain() -> dict[str, Any]:
    return load_yaml_mapping(DOMAIN_FILE)


def domain_intents() -> set[str]:
    """Intent names, whether listed plainly or with options (`- name: {use_entities: ...}`)."""
    return {i if isinstance(i, str) else next(iter(i)) for i in load_domain().get("intents") or []}
