"""Names that cross layers: the domain (domain.yml), the NLU pipeline (config.yml), the actions,
the booking store, the staff console and the widget all use these, so each is spelled once.

tests/unit/test_names.py loads domain.yml and config.yml and fails when a name here is missing
there, so renaming an intent in the data can never silently switch off, say, emergency flagging.
"""

from typing import Final


class Intent:
    """Intents the code acts on by name (the domain has more: every page topic, small talk)."""

    GREET: Final = "greet"
    GOODBYE: Final = "goodbye"
    THANKS: Final = "thanks"
    AFFIRM: Final = "affirm"
    DENY: Final = "deny"
    BOT_CHALLENGE: Final = "bot_challenge"
    ASK_COST: Final = "ask_cost"
    OUT_OF_SCOPE: Final = "out_of_scope"
    REQUEST_BOOKING: Final = "request_booking"
    REQUEST_HUMAN: Final = "request_human"
    INFORM: Final = "inform"
    CANCEL: Final = "cancel"
    CORRECT: Final = "correct"
    REPORT_EMERGENCY: Final = "report_emergency"
    REPORT_MILD_SYMPTOM: Final = "report_mild_symptom"
    ASK_SERIOUS_RISK: Final = "ask_serious_risk"
    # Rasa's own: the FallbackClassifier's low-confidence intent (not listed in the domain).
    NLU_FALLBACK: Final = "nlu_fallback"


class ActionName:
    """Custom and built-in actions the code names."""

    LISTEN: Final = "action_listen"  # Rasa's own
    DEACTIVATE_LOOP: Final = "action_deactivate_loop"  # Rasa's own: stops the active form
    SESSION_START: Final = "action_session_start"
    ANSWER_TOPIC: Final = "action_answer_topic"
    ANSWER_UNSURE: Final = "action_answer_unsure"
    ANSWER_EMERGENCY: Final = "action_answer_emergency"
    # Emergency mode (bot/safety/conversation.py): the short repeat, and the end of the mode.
    REPEAT_EMERGENCY: Final = "action_repeat_emergency"
    EMERGENCY_ACKNOWLEDGED: Final = "action_emergency_acknowledged"
    ANSWER_SERIOUS_RISK: Final = "action_answer_serious_risk"
    ANSWER_MILD_SYMPTOM: Final = "action_answer_mild_symptom"
    HUMAN_HANDOFF: Final = "action_human_handoff"
    SUBMIT_BOOKING: Final = "action_submit_booking"
    OFFER_BOOKING: Final = "utter_offer_booking"
    NO_PRICE_INFO: Final = "utter_no_price_info"  # the page lists no prices
    OUT_OF_SCOPE: Final = "utter_out_of_scope"  # the page does not cover it


class Slot:
    """Every slot of the domain."""

    STAFF_FOLLOWUP: Final = "staff_followup"
    REQUESTED: Final = "requested_slot"  # Rasa's own: the question an active form asks
    BOOKING_KIND: Final = "booking_kind"
    BOOKING_NAME: Final = "booking_name"
    BOOKING_PHONE: Final = "booking_phone"
    BOOKING_EMAIL: Final = "booking_email"
    BOOKING_PREFERRED_TIME: Final = "booking_preferred_time"
    BOOKING_PREFERRED_TIME_NORMALISED: Final = "booking_preferred_time_normalised"
    BOOKING_REASON: Final = "booking_reason"
    BOOKING_CONSENT: Final = "booking_consent"
    # Booking for someone else (bot/booking/someone_else.py): what the patient is to the person
    # booking ("mother"), that person's name, and whose phone or email the clinic should use.
    BOOKING_RELATION: Final = "booking_relation"
    BOOKING_REQUESTER_NAME: Final = "booking_requester_name"
    BOOKING_CONTACT_IS: Final = "booking_contact_is"
    BOOKING_CHANGE: Final = "booking_change"
    BOOKING_OUTCOME: Final = "booking_outcome"
    BOOKING_FAILED_ATTEMPTS: Final = "booking_failed_attempts"
    BOOKING_REFERENCE: Final = "booking_reference"
    # Live chat with a person (bot/live/state.py): its state, and the staff member's first name.
    LIVE_CHAT: Final = "live_chat"
    LIVE_AGENT: Final = "live_agent"
    # A patient's thumbs up or down on one answer: {"answer_id": ..., "rating": "up" | "down"}.
    ANSWER_RATING: Final = "answer_rating"


BOOKING_FORM: Final = "booking_form"


class Followup:
    """Values of the `staff_followup` slot: why a person at the clinic should look at a
    conversation. An emergency mark is never replaced by a less urgent one."""

    EMERGENCY: Final = "emergency"
    HUMAN_HANDOFF: Final = "human_handoff"


class LiveChat:
    """Values of the `live_chat` slot: a person asked for and awaited, or in the chat."""

    WAITING: Final = "waiting"
    JOINED: Final = "joined"


# The custom payload's key on replies that start or report a live chat (the widget polls while set).
LIVE_CHAT_KEY: Final = "live_chat"

# The custom payload's key naming one page answer, so the patient can rate it (the widget's thumbs).
ANSWER_ID_KEY: Final = "answer_id"
ANSWER_RATINGS: Final[tuple[str, ...]] = ("up", "down")

# The custom payload's `alert` value on an emergency answer (the widget shows it as an alert).
EMERGENCY_ALERT: Final = Followup.EMERGENCY

# A conversation's follow-up by staff, in order (the console's review workflow, bot/staff/reviews.py).
REVIEW_STATUSES: Final[tuple[str, ...]] = ("new", "reviewed", "handled")

# A booking request's life at the clinic, in order (the store's check constraint, the console).
BOOKING_STATUSES: Final[tuple[str, ...]] = ("new", "contacted", "booked", "closed")

# The longest message the channels accept. The page that embeds the widget passes it as the
# script tag's data-max-length (bot/web/demo.py), so patients are told the limit the server applies.
MAX_MESSAGE_CHARS: Final = 2000
# A booking answer is cut to this before parsing: no detail is this long, and the parsers' time
# grows with the text.
MAX_FORM_ANSWER_CHARS: Final = 1000

# The parse-data key for the page topics of a message that asks several questions, in order
# (set by bot/nlp/question_parts.py on the Rasa server, read by actions/answers.py).
QUESTION_TOPICS_KEY: Final = "question_topics"
