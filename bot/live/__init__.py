"""Live chat: a patient who asks for a person gets one in the same chat while staff are online.

- `hours.py`: when the clinic takes live chats (settings.yml `live_chat.hours`);
- `presence.py`: which staff have the console's live page open (the staff database);
- `state.py`: a conversation's live-chat state read from its events, and the events that join,
  send a staff message, hand back or give up waiting (appended by the Rasa server's live channel,
  bot/runtime/live_channel.py);
- the policy that keeps the bot quiet while staff chat: bot/runtime/live_policy.py.
"""
