"""The clinic bot's own domain code: knowledge, retrieval, booking, staff tools.

Everything here is plain Python that runs and is tested without a Rasa server; the Rasa custom
actions in `actions/` are thin wrappers around it.
"""
