"""Reading one patient message while the booking form is open: which details it gives (in any
order, several at once, or correcting earlier ones), whether it answers the question asked,
asks to change or cancel, or is a question of its own (a digression the bot answers first).

Values found here are already checked; an answer to the question asked that cannot be used is
passed on as it is, so that the form's validation explains what is wrong and counts the try."""

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from functools import lru_cache
from typing import Any

from bot.booking import slots as s
from bot.booking.corrections import corrected_name, name_in_answer, preferred_contact, time_correction_words
from bot.booking.someone_else import (
    REQUESTER,
    SOMEONE_ELSE,
    contact_owner,
    patient_name_in,
    read_requester_answer,
    relation_in,
    requester_name_in,
    says_for_themself,
)
from bot.booking.text import (
    clauses,
    clean_text,
    is_button_payload,
    is_question,
    says_cancel,
    says_no,
    says_skip,
    says_unsure,
    says_yes,
    strip_edges,
)
from bot.booking.validators import (
    display_phone,
    find_emails,
    find_phones,
    find_stated_name,
    remove_spans,
    validate_name,
)
from bot.booking.when import (
    clinic_now,
    describe,
    find_preferred_time,
    find_window,
    mentions_day_or_time,
    validate_preferred_time,
)
from bot.names import Intent
from bot.safety.replies import EMERGENCY_INTENT
from bot.wording import wording

CANCEL_INTENTS = frozenset({Intent.CANCEL, Intent.GOODBYE})
SAFETY_QUESTION_INTENTS = frozenset({Intent.ASK_SERIOUS_RISK, Intent.REPORT_MILD_SYMPTOM})
CHANGE_INTENT = Intent.CORRECT
# Messages that are not answers even when they are not phrased as questions.
ALWAYS_ASIDE_INTENTS = frozenset(
    {Intent.REQUEST_HUMAN, Intent.BOT_CHALLENGE, Intent.GREET, Intent.THANKS, Intent.REQUEST_BOOKING}
)
# A name answer with spelling talk or second thoughts around the name itself.
_HESITANT_NAME = re.compile(r"\b(?:sorry|actually|wait|oops|i mean|spel(?:led|t|l)|with an? [a-z])\b", re.I)
# What a reason for a consultation talks about; and what asks for the booking itself.
_CONCERN = re.compile(
    r"\b(?:face|facial|smile|smiling|eyes?|eyelids?|brows?|eyebrows?|mouth|lips?|cheeks?|jaw|neck|palsy|"
    r"paraly\w+|droop\w*|uneven|lopsided|crooked|asymmetr\w*|twitch\w*|synkinesis|spasms?|tight\w*|weak\w*|"
    r"nerve|bell'?s|stroke|ramsay|numb\w*)\b",
    re.I,
)
_BOOKING_WORDS = re.compile(
    r"\b(?:book\w*|consult\w*|appointments?|appt|schedule|see the (?:doctor|dr))\b", re.I
)
_STATED_REASON = re.compile(
    r"\b(?:the\s+|my\s+)?reason\s*(?:is|:|'s|being|for it is)\s+(?P<reason>\S.*)$", re.I
)
_CHANGE_WORDS = re.compile(r"\b(change|wrong|mistake|typo|correction|update|fix|amend|edit)\b", re.I)


@lru_cache(maxsize=1)
def question_intents() -> frozenset[str]:
    """Intents of questions the bot answers elsewhere: the page topics, price, off-topic, and
    safety questions (a serious risk, a mild effect) that are not emergencies."""
    from bot.knowledge import get_knowledge_base

    topics = get_knowledge_base().topics.values()
    return frozenset(
        {topic.intent for topic in topics} | {Intent.ASK_COST, Intent.OUT_OF_SCOPE} | SAFETY_QUESTION_INTENTS
    )


@dataclass(frozen=True)
class Message:
    text: str
    intent: str | None = None


@dataclass
class MessageReading:
    """Slot candidates from one message, and what to tell the patient about them."""

    values: dict[str, Any] = field(default_factory=dict)
    notes: list[str] = field(default_factory=list)
    digression: bool = False


def shown(slot: str, value: Any) -> str:
    if slot == s.PHONE:
        return display_phone(value)
    return str(value)


class _Reader:
    def __init__(
        self,
        message: Message,
        requested: str | None,
        slots: Mapping[str, Any],
        regions: Sequence[str],
        now: datetime,
        earlier: Sequence[str] = (),
    ) -> None:
        self.text = "" if is_button_payload(message.text or "") else clean_text(message.text)
        self.intent = message.intent
        self.requested = requested
        self.slots = slots
        self.regions = regions
        self.now = now
        self.reading = MessageReading()
        self.spans: list[tuple] = []
        self.raw_answer = False
        self.earlier = earlier

    # -- values the message gives ------------------------------------------------------------
    def _give(self, slot: str, value: Any, span: tuple | None = None) -> None:
        old = self.current(slot)
        if old not in (None, "") and old != value and slot != self.requested:
            detail = wording(f"booking.details.{s.wording_key(slot)}")
            self.reading.notes.append(
                wording("booking.notes.changed", detail=detail, value=shown(slot, value))
            )
        self.reading.values[slot] = value
        if self.slots.get(s.CHANGE) == slot:
            self.reading.values[s.CHANGE] = None
        if span:
            self.spans.append(span)

    def current(self, slot: str) -> Any:
        """A slot's value counting what this message has given so far."""
        return self.reading.values[slot] if slot in self.reading.values else self.slots.get(slot)

    @property
    def for_someone_else(self) -> bool:
        return bool(self.current(s.RELATION))

    def find_in_earlier(self, earlier: Sequence[str]) -> None:
        """Before the form started: "can I book for my partner?", "his name is Alex Romero", or
        a message that was a full name and nothing else ("Alex Romero")."""
        for text in earlier:
            words = strip_edges(text)
            if len(words.split()) >= 2 and all(w[0].isupper() for w in words.split()):
                checked = validate_name(words)
                if checked.ok and checked.value == words and not self.current(s.NAME):
                    self.reading.values[s.NAME] = words
            relation = relation_in(text, strict=True)
            if relation and not self.current(s.RELATION):
                self.reading.values[s.RELATION] = relation.value
            if not self.for_someone_else:
                continue
            patient, requester = patient_name_in(text), requester_name_in(text)
            if patient and not self.current(s.NAME):
                self.reading.values[s.NAME] = patient.value
            if requester and not self.current(s.REQUESTER_NAME):
                self.reading.values[s.REQUESTER_NAME] = requester.value

    def find_someone_else(self) -> None:
        """Booking for another person: who they are to the patient, and both names."""
        if self.slots.get(s.RELATION) and says_for_themself(self.text):
            for slot in (s.RELATION, s.REQUESTER_NAME, s.CONTACT_IS):
                self.reading.values[slot] = None
            return
        relation = relation_in(self.text)
        if relation:
            self.spans.append(relation.span)
            known = self.slots.get(s.RELATION)
            if not known or (known == SOMEONE_ELSE and relation.value != SOMEONE_ELSE):
                self.reading.values[s.RELATION] = relation.value
            if not known and self.slots.get(s.NAME) and not self.slots.get(s.REQUESTER_NAME):
                # The name given before it came out that the booking is for someone else was
                # the requester's own: the form now asks for the patient's.
                self.reading.values[s.REQUESTER_NAME] = self.slots[s.NAME]
                self.reading.values[s.NAME] = None
        if not self.for_someone_else:
            return
        patient = patient_name_in(self.text)
        if patient:
            self._give(s.NAME, patient.value, patient.span)
        if self.requested != s.REQUESTER_NAME:
            requester = requester_name_in(self.text)
            if requester:
                self._give(s.REQUESTER_NAME, requester.value, requester.span)

    def find_contact_owner(self, gave_contact: bool) -> None:
        """Whose phone or email it is, when booking for someone else (the requester's unless
        the message says it is the patient's)."""
        if not self.for_someone_else:
            return
        owner = contact_owner(self.text)
        if owner or (gave_contact and not self.slots.get(s.CONTACT_IS)):
            self.reading.values[s.CONTACT_IS] = owner or REQUESTER

    def find_corrections(self) -> None:
        """Corrections in plain words: a name spelled again, which contact to use, a new day."""
        whole = (0, len(self.text))
        own_name = self.for_someone_else and re.search(
            r"\bmy (?:own |first |last |sur|full |family )?name\b", self.text, re.I
        )
        name_slot = s.REQUESTER_NAME if own_name else s.NAME
        if self.requested != name_slot and self.current(name_slot):
            name = corrected_name(self.text, str(self.current(name_slot)))
            if name:
                self._give(name_slot, name, whole)

    def find_contact_choice(self) -> None:
        """ "use my email instead": the other contact is dropped, or the chosen one asked for.
        Read after the contacts in the message, which may be the one chosen."""
        wanted = preferred_contact(self.text)
        if not wanted:
            return
        slot, other = (s.EMAIL, s.PHONE) if wanted == "email" else (s.PHONE, s.EMAIL)
        if self.current(slot) and self.current(other):
            self.reading.values[other] = None
            detail = wording(f"booking.details.{s.wording_key(slot)}")
            self.reading.notes.append(
                wording("booking.notes.using", detail=detail, value=shown(slot, self.current(slot)))
            )
            self.spans.append((0, len(self.text)))
        elif not self.current(slot):
            self.reading.values[s.CHANGE] = slot
            self.spans.append((0, len(self.text)))

    def find_time_correction(self) -> None:
        """ "make that Thursday", "actually weekday evenings instead": a new day or window
        while another question is asked (the day question reads its own answer)."""
        if self.requested == s.PREFERRED_TIME or s.PREFERRED_TIME in self.reading.values:
            return
        if not self.slots.get(s.PREFERRED_TIME):
            return
        words = time_correction_words(self.text)
        if words and validate_preferred_time(words, self.now).ok:
            self._give(s.PREFERRED_TIME, words, (0, len(self.text)))

    def find_volunteered(self) -> None:
        self.find_someone_else()
        self.find_corrections()
        contact_asked = self.requested in (s.PHONE, s.EMAIL)
        emails, email_errors = find_emails(self.text)
        for found in emails[:1]:
            self._give(s.EMAIL, found.value, found.span)
        self.spans.extend(found.span for found in emails[1:])
        if email_errors and not contact_asked:
            kept = [wording("booking.notes.kept_email")] if self.slots.get(s.EMAIL) else []
            self.reading.notes.append(" ".join([email_errors[0], *kept]))
        phones = find_phones(remove_spans_keep_length(self.text, self.spans), self.regions)
        for found in phones[:1]:
            self._give(s.PHONE, found.value, found.span)
        self.find_contact_choice()
        self.find_stated_reason()
        if self.requested != s.NAME and not self.for_someone_else:
            name = find_stated_name(self.rest(), introduced_too=not self.slots.get(s.NAME))
            if name:
                self._give(s.NAME, name.value, name.span)
        if self.requested not in (s.PREFERRED_TIME, s.REASON):
            readings = (find_window(self.rest(), self.now), find_preferred_time(self.rest(), self.now))
            given = [reading for reading in readings if reading]
            if given:  # the first the message says ("thursday afternoon, mondays are bad")
                when = min(given, key=lambda reading: reading.span[0])
                self._give(s.PREFERRED_TIME, when.value, when.span)
        self.find_name_at_start()
        self.find_time_correction()
        self.find_contact_owner(gave_contact=bool(emails or phones))
        self.find_reason_at_start()

    def find_name_at_start(self) -> None:
        """A name among the details of an opening message ("book consult pls - Ryan Cooper,
        480 555 0111, asap"), or a message that starts the form and is only a name ("its
        Desmond Achterberg"): a capitalised name, as typed, and nothing else in its clause."""
        if self.requested is not None or self.current(s.NAME) or self.for_someone_else:
            return
        parts = clauses(self.rest()) if self.gave_values else [(self.text, (0, len(self.text)))]
        for words, span in parts:
            checked = validate_name(words)
            name = str(checked.value) if checked.ok else ""
            if len(name.split()) >= 2 and name in words and all(w[0].isupper() for w in name.split()):
                return self._give(s.NAME, name, span)

    def find_stated_reason(self) -> None:
        """ "..., reason is twitching on my left cheek": the reason, said with other details."""
        match = _STATED_REASON.search(self.rest())
        if match and self.requested != s.REASON and self.current(s.REASON) is None:
            self._give(s.REASON, strip_edges(match.group("reason")), match.span())

    def find_reason_at_start(self) -> None:
        """The concern in a message that starts the form with several details at once ("Hi I'm
        Tom Baker, 0770 0900 123, any weekday after 4, my smile is uneven"): the reason too."""
        details = [
            slot for slot in (s.NAME, s.PHONE, s.EMAIL, s.PREFERRED_TIME) if slot in self.reading.values
        ]
        if self.requested is not None or len(details) < 2 or self.slots.get(s.REASON) is not None:
            return
        for words, span in clauses(self.rest()):
            if len(words.split()) >= 3 and _CONCERN.search(words) and not _BOOKING_WORDS.search(words):
                return self._give(s.REASON, words, span)

    def rest(self) -> str:
        """The message with the values already found blanked out (same length)."""
        return remove_spans_keep_length(self.text, self.spans)

    def leftover(self) -> str:
        return remove_spans(self.text, self.spans)

    # -- the question asked ----------------------------------------------------------------------
    @property
    def gave_values(self) -> bool:
        return bool(self.reading.values)

    def gave_values_for(self, slot: str) -> bool:
        return self.reading.values.get(slot) not in (None, "")

    def is_aside(self, free_text_question: bool = False) -> bool:
        """A message the bot should answer before asking again. For a free-text question
        (the reason), only what is phrased as a question counts."""
        if self.intent in ALWAYS_ASIDE_INTENTS:
            return True
        if self.intent in question_intents():
            return is_question(self.text) if free_text_question else True
        return False

    def wants_change(self) -> bool:
        """Asks to change a detail. While the reason is asked, words like "fix" or "wrong" are
        more likely about the patient's face, so only a change that names a detail counts."""
        if self.requested == s.REASON:
            return self.intent == CHANGE_INTENT and s.named_detail(self.text, self.slots) is not None
        return self.intent == CHANGE_INTENT or bool(_CHANGE_WORDS.search(self.text))

    def answer(self) -> None:
        """Read the message as an answer to the question asked. A valid answer wins over what
        the NLU made of it: "Rebecca Taylor" is a name even if it was taken for goodbye."""
        asked = self.requested
        if asked is None:
            return
        if asked == s.CHANGE:
            return self.answer_change()
        if asked == s.OUTCOME:
            return self.answer_summary()
        if asked == s.NAME:
            checked = validate_name(self.leftover())
            if checked.ok:
                return self._give(s.NAME, checked.value)
            hesitant = _HESITANT_NAME.search(self.text) and name_in_answer(self.leftover())
            if hesitant:  # "actually wait, it's spelled Dorthy, sorry, Dorthy Kline"
                return self._give(s.NAME, hesitant)
        if asked == s.REQUESTER_NAME and not self.gave_values_for(s.REQUESTER_NAME):
            # The whole message: "I'm his son, James King" was also read as the relation.
            name, relation = read_requester_answer(self.text)
            if not name:
                name, relation = read_requester_answer(self.leftover())[0], relation
            if relation and self.current(s.RELATION) in (None, SOMEONE_ELSE):
                self.reading.values[s.RELATION] = relation
            if name:
                return self._give(s.REQUESTER_NAME, name)
        if asked == s.PREFERRED_TIME:
            checked = validate_preferred_time(self.leftover(), self.now)
            if checked.ok:
                return self._give(s.PREFERRED_TIME, checked.value)
        if self.gave_values:
            return
        if asked == s.CONSENT:
            return self.answer_consent()
        if asked == s.REASON:
            return self.answer_reason()
        if self.wants_change():
            self.reading.values[s.CHANGE] = s.named_detail(self.text, self.slots) or s.CHANGE_PENDING
            return
        self._raw_or_aside(
            asked,
            self.text if asked in (s.PHONE, s.EMAIL) else self.leftover(),
            attempted=self.attempted(asked),
        )

    def attempted(self, asked: str) -> bool:
        """Clearly an attempt at the answer, however the NLU classified it: "last tuesday" is
        a (past) day, not a question about how long results last."""
        if asked == s.PREFERRED_TIME:
            return mentions_day_or_time(self.text)
        if asked in (s.PHONE, s.EMAIL):
            return "@" in self.text or sum(ch.isdigit() for ch in self.text) >= 5
        return False

    def _raw_or_aside(self, slot: str, raw: str, attempted: bool = False) -> None:
        """Not a usable answer: a digression, a day or time given before it was asked (kept,
        and the question asked again), or passed on for validation to explain."""
        if not attempted and self.gives_availability_early():
            return self._give(s.PREFERRED_TIME, strip_edges(self.leftover()))
        if self.is_aside() and not attempted:
            self.reading.digression = True
        else:
            self.reading.values[slot] = raw
            self.raw_answer = True

    def gives_availability_early(self) -> bool:
        """ "whenever, afternoons mostly" answered to the name or contact question: the patient
        is a step ahead, so the day and time are kept rather than refused as a name."""
        if self.requested not in (s.NAME, s.REQUESTER_NAME, s.PHONE, s.EMAIL) or self.slots.get(
            s.PREFERRED_TIME
        ):
            return False
        return bool(self.leftover()) and validate_preferred_time(self.leftover(), self.now).ok

    def answer_change(self) -> None:
        detail = s.named_detail(self.text, self.slots)
        if self.gave_values_for(detail or ""):  # "the time, make it next tuesday around 4"
            self.reading.values[s.CHANGE] = None
        elif detail:
            self.reading.values[s.CHANGE] = detail
        elif self.gave_values or says_no(self.text) or says_skip(self.text):
            self.reading.values[s.CHANGE] = None
        else:
            self._raw_or_aside(s.CHANGE, self.text)

    def answer_summary(self) -> None:
        if self.gave_values:
            return
        if says_yes(self.text) and not _CHANGE_WORDS.search(self.text):  # "that's all correct, send"
            self.reading.values[s.OUTCOME] = s.CONFIRMED
        elif self.wants_change() or self.intent == Intent.DENY or says_no(self.text):
            self.reading.values[s.CHANGE] = s.named_detail(self.text, self.slots) or s.CHANGE_PENDING
        elif self.intent == Intent.AFFIRM or says_yes(self.text):
            self.reading.values[s.OUTCOME] = s.CONFIRMED
        else:
            self._raw_or_aside(s.OUTCOME, self.text)

    def answer_consent(self) -> None:
        if says_yes(self.text) or (self.intent == Intent.AFFIRM and not says_no(self.text)):
            self.reading.values[s.CONSENT] = True
        elif says_no(self.text) or (self.intent == Intent.DENY and not says_unsure(self.text)):
            self.reading.values[s.OUTCOME] = s.DECLINED_CONSENT
        elif self.wants_change():
            self.reading.values[s.CHANGE] = s.named_detail(self.text, self.slots) or s.CHANGE_PENDING
        else:
            self._raw_or_aside(s.CONSENT, self.text)

    def answer_reason(self) -> None:
        """Free text: anything that is not a question of its own is the reason."""
        if self.intent == Intent.DENY or says_skip(self.text):
            self.reading.values[s.REASON] = ""
        elif self.wants_change():
            self.reading.values[s.CHANGE] = s.named_detail(self.text, self.slots)
        elif self.is_aside(free_text_question=True):
            self.reading.digression = True
        else:
            self.reading.values[s.REASON] = self.text

    def wants_to_stop(self) -> bool:
        """ "Stop", "never mind" and the like always stop; an intent to cancel (or leave) only
        when the message gives nothing the form can use."""
        if says_cancel(self.text):
            return True
        usable = self.reading.values and not self.raw_answer
        return self.intent in CANCEL_INTENTS and not usable

    def read(self) -> MessageReading:
        if self.intent == EMERGENCY_INTENT:
            # Never an answer, whatever it contains: the form must reject this turn so that the
            # emergency rule runs (in Rasa a form takes priority over rules unless it rejects).
            return self.reading
        if self.requested is None:
            self.find_in_earlier(self.earlier)
        self.find_volunteered()
        self.answer()
        if self.wants_to_stop():
            self.reading = MessageReading({s.OUTCOME: s.CANCELLED})
        return self.reading


def remove_spans_keep_length(text: str, spans: Sequence[tuple]) -> str:
    chars = list(text)
    for start, end in spans:
        chars[start:end] = " " * (end - start)
    return "".join(chars)


def read_message(
    message: Message,
    requested: str | None,
    slots: Mapping[str, Any],
    regions: Sequence[str],
    now: datetime | None = None,
    earlier: Sequence[str] = (),
) -> MessageReading:
    """What one message means for the booking form asking `requested` (None at the start, when
    `earlier`, the patient's messages just before the form started, are read too)."""
    return _Reader(message, requested, slots, regions, now or clinic_now(), earlier).read()


def preferred_time_summary(slots: Mapping[str, Any]) -> str:
    return describe(slots.get(s.PREFERRED_TIME_NORMALISED), slots.get(s.PREFERRED_TIME) or "")


def preferred_time_brief(slots: Mapping[str, Any]) -> str:
    """The same without the patient's words after it: "Weekdays, evenings, after 5 pm"."""
    return describe(slots.get(s.PREFERRED_TIME_NORMALISED), slots.get(s.PREFERRED_TIME) or "", brief=True)
