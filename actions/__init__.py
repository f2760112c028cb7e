"""Rasa custom actions. Thin by design: each one reads the tracker, calls into `bot/`, and sends
what `bot/` composed. The action server imports this package (`rasa run actions`)."""
