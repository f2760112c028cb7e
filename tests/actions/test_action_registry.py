"""The action server finds every custom action the domain names: a class that stops being a
rasa-sdk `Action` (a shadowed import, say) passes its own tests but is never registered."""

from rasa_sdk.executor import ActionExecutor

from tests.support.domain import load_domain


def test_every_custom_action_of_the_domain_is_registered_by_the_action_server():
    executor = ActionExecutor()
    executor.register_package("actions")
    custom = {name for name in load_domain()["actions"] if name.startswith(("action_", "validate_"))}
    assert custom - set(executor.actions) == set()
