"""What runs inside the Rasa server and the action server: the guarded channels (REST and
socket.io) with their input rules and service notices, the production tracker and lock stores,
the production profile's settings check, and the action server's entry point. Nothing here holds
domain logic; it plugs `bot/` into Rasa through Rasa's own extension points."""
