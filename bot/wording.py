"""What the bot says, kept as reviewed data: keyed texts in YAML with named placeholders.

A wording file maps keys (nested, read as dotted paths: `stored.sent`) to texts. Line breaks and
runs of spaces inside a text are folded to one space, so texts can be wrapped freely in YAML;
paragraphs are separate keys, joined by the code. A text names what the code fills in as
`{placeholder}`. Each file is checked once, when first read (the servers read them all at
start-up, bot/runtime/startup.py): a key the code needs that is missing or empty, a placeholder
the code does not fill in, or a key the code does not use raises `ConfigError` naming the file
and the key, instead of a broken reply in a patient's conversation.

The files under data/wording/ and what the code needs from each are listed in `WORDING_KEYS`;
`wording("booking.stored.sent", first_name=..., ...)` renders one text. The safety wording
(data/safety/emergency.yml) is read through the same loader by bot/safety/replies.py.
"""

from collections.abc import Collection, Iterator, Mapping
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from string import Formatter
from typing import Any

from bot.paths import WORDING_DIR
from bot.yamlfile import ConfigError, load_yaml_mapping

# Key -> the placeholders the code fills in for it.
TextSpec = Mapping[str, Collection[str]]


@dataclass(frozen=True)
class Texts:
    """The checked texts of one wording file."""

    path: Path
    texts: Mapping[str, str]
    placeholders: Mapping[str, frozenset[str]]

    def render(self, key: str, **values: Any) -> str:
        """The text of `key` with its placeholders filled in. The code must give exactly the
        values declared for the key, so the declaration the file is checked against stays true."""
        expected = self.placeholders[key]
        if set(values) != expected:
            raise TypeError(f"{self.path.name} `{key}` takes {sorted(expected)}, not {sorted(values)}")
        return self.texts[key].format(**values)


def _leaves(raw: Mapping[str, Any], skipped: Collection[str], prefix: str = "") -> Iterator[tuple[str, Any]]:
    """(dotted key, value) of every value that is not a mapping, except under `skipped` keys."""
    for name, value in raw.items():
        key = f"{prefix}{name}"
        if key in skipped:
            continue
        if isinstance(value, dict):
            yield from _leaves(value, skipped, f"{key}.")
        else:
            yield key, value


def _placeholders(path: Path, key: str, text: str) -> frozenset[str]:
    try:
        fields = list(Formatter().parse(text))
    except ValueError as error:
        raise ConfigError(
            f"{path}: `{key}` has a stray brace ({error}); placeholders are written {{name}}"
        ) from error
    names = set()
    for _, name, spec, conversion in fields:
        if name is None:
            continue
        if not name.isidentifier() or spec or conversion:
            raise ConfigError(
                f"{path}: `{key}` has the placeholder "
                f"{{{name}{'!' + conversion if conversion else ''}"
                f"{':' + spec if spec else ''}}}; placeholders are written {{name}}"
            )
        names.add(name)
    return frozenset(names)


def load_texts(path: Path, spec: TextSpec, data_keys: Collection[str] = ()) -> Texts:
    """Read and check the texts `spec` names from `path`; keys in `data_keys` hold other data
    (checked by their reader) and are skipped. Raises `ConfigError` naming the file and key."""
    return check_texts(path, load_yaml_mapping(path), spec, data_keys)


def check_texts(path: Path, raw: Mapping[str, Any], spec: TextSpec, data_keys: Collection[str] = ()) -> Texts:
    """`load_texts` for a file already read (`raw`)."""
    leaves = dict(_leaves(raw, set(data_keys)))
    unused = sorted(set(leaves) - set(spec))
    if unused:
        raise ConfigError(
            f"{path}: `{unused[0]}` is not a text the code uses (misspelt?); "
            "a new text needs its key in the code"
        )
    texts: dict[str, str] = {}
    for key, allowed in spec.items():
        if key not in leaves:
            raise ConfigError(f"{path}: `{key}` is missing")
        value = leaves[key]
        if not isinstance(value, str) or not value.strip():
            raise ConfigError(f"{path}: `{key}` must be a non-empty text")
        unknown = sorted(_placeholders(path, key, value) - set(allowed))
        if unknown:
            supplied = ", ".join(f"{{{name}}}" for name in sorted(allowed)) or "none"
            raise ConfigError(
                f"{path}: `{key}` uses {{{unknown[0]}}}, which the code does not "
                f"fill in (it fills in: {supplied})"
            )
        texts[key] = " ".join(value.split())
    return Texts(path, texts, {key: frozenset(allowed) for key, allowed in spec.items()})


# The files under data/wording/ and, for each, every key the code reads with the placeholders it
# fills in. Clinic details come from settings.yml through bot/contact.py:
# {clinic_phone_route} "+1 555 0100 (Mon-Fri 9-5)"; {clinic_phone_and_web} "by phone on
# +1 555 0100 (Mon-Fri 9-5) or at https://..."; {clinic_name}. A text naming a route has a
# `with_route` and a `without_route` form (bot/contact.py `with_route`).
WORDING_KEYS: dict[str, TextSpec] = {
    # Live chat with a person at the clinic (bot/live, actions/handoff.py).
    "live": {
        "waiting": (),
        "still_waiting": (),
        "joined": ("staff_name",),
        "handed_back": ("staff_name",),
        "stepped_away": ("staff_name",),
        "nobody_free": (),
    },
    # Replies outside the booking form: input rules, service notices, handoff, page answers.
    "general": {
        "input.empty_message": (),
        "input.too_long": ("max_chars",),
        "service.unavailable.with_route": ("clinic_name", "clinic_phone_and_web"),
        "service.unavailable.without_route": ("clinic_name",),
        "service.slow_down": ("wait",),
        "offline_contact.with_route": ("clinic_phone_and_web",),
        "offline_contact.without_route": (),
        "handoff.route.with_route": ("clinic_phone_route",),
        "handoff.route.without_route": (),
        "handoff.finish_booking": (),
        "handoff.callback_offer": (),
        "handoff.buttons.callback": (),
        "handoff.buttons.no_callback": (),
        "unsure.not_understood": (),
        "unsure.buttons.ask_the_team": (),
        "unsure.retrieved.intro": ("heading",),
        "unsure.retrieved.passage": ("passage",),
        "unsure.retrieved.outro": (),
        "answers.personal_advice": (),
        "answers.source": ("heading", "page_title"),
        "answers.sources": ("headings", "page_title"),
        "answers.buttons.book": (),
    },
    # The booking form: questions, summary, notes and how a request ends.
    "booking": {
        "opening.consultation": (),
        "opening.callback": (),
        "request.consultation": (),
        "request.callback": (),
        "questions.name": (),
        "questions.phone": (),
        "questions.email": (),
        "questions.preferred_time": (),
        "questions.preferred_time_callback": (),
        "questions.reason": (),
        "questions.consent": ("contact_you",),
        "questions.change": (),
        "changing.name": (),
        "changing.phone": (),
        "changing.preferred_time": (),
        "contact_you.phone_and_email": ("who", "phone", "email"),
        "contact_you.phone": ("who", "phone"),
        "contact_you.email": ("who", "email"),
        "contact_you.no_details": ("who",),
        "contact_you.you": (),
        "someone_else.relation": ("relation",),
        "someone_else.them": (),
        "someone_else.questions.name": ("relation",),
        "someone_else.questions.name_unknown_relation": (),
        "someone_else.questions.requester_name": (),
        "someone_else.questions.requester_name_and_relation": ("patient",),
        "someone_else.questions.phone": ("patient",),
        "someone_else.yours": (),
        "someone_else.theirs": ("patient",),
        "acknowledgement": ("details",),
        "buttons.skip_reason": (),
        "buttons.consent_yes": (),
        "buttons.consent_no": (),
        "buttons.details.name": (),
        "buttons.details.requester_name": (),
        "buttons.details.phone": (),
        "buttons.details.email": (),
        "buttons.details.preferred_time": (),
        "buttons.details.reason": (),
        "buttons.change_nothing": (),
        "buttons.send": (),
        "buttons.change_something": (),
        "buttons.cancel": (),
        "summary.heading": ("request",),
        "summary.name": ("name",),
        "summary.patient": ("name", "relation"),
        "summary.patient_no_relation": ("name",),
        "summary.requester_name": ("requester_name",),
        "summary.contact_of": ("owner",),
        "summary.phone": ("phone",),
        "summary.email": ("email",),
        "summary.preferred_time": ("preferred_time",),
        "summary.reason": ("reason",),
        "summary.consent": (),
        "summary.question": (),
        "summary.not_given": (),
        "explanations.name": (),
        "explanations.phone": (),
        "explanations.email": (),
        "explanations.requester_name": (),
        "explanations.preferred_time": (),
        "explanations.reason": ("max_chars",),
        "explanations.consent": (),
        "explanations.change": (),
        "explanations.outcome": (),
        "notes.changed": ("detail", "value"),
        "notes.using": ("detail", "value"),
        "notes.kept_email": (),
        "details.name": (),
        "details.requester_name": (),
        "details.phone": (),
        "details.email": (),
        "details.preferred_time": (),
        "details.reason": (),
        "first_name_unknown": (),
        "stored.sent": ("first_name", "request", "reference"),
        "stored.next_step.with_route": ("contact_you", "purpose", "clinic_phone_route"),
        "stored.next_step.without_route": ("contact_you", "purpose"),
        "stored.purpose.consultation": (),
        "stored.purpose.callback": (),
        "not_stored.kept.with_route": ("first_name", "clinic_phone_and_web"),
        "not_stored.kept.without_route": ("first_name",),
        "not_stored.not_kept.with_route": ("first_name", "clinic_phone_and_web"),
        "not_stored.not_kept.without_route": ("first_name",),
        "not_stored.reference": ("reference",),
        "ended.declined_consent.with_route": ("clinic_phone_and_web",),
        "ended.declined_consent.without_route": (),
        "ended.phone_route.with_route": ("clinic_phone_and_web",),
        "ended.phone_route.without_route": (),
        "ended.cancelled": (),
    },
    # Why an answer to the booking form was not accepted.
    "booking_errors": {
        "name.missing": (),
        "name.too_long": (),
        "name.digits": (),
        "name.not_a_name": (),
        "phone.not_a_number": (),
        "phone.country_code": (),
        "phone.too_short": (),
        "phone.no_area_code": (),
        "phone.too_long": (),
        "phone.invalid": (),
        "email.no_at": (),
        "email.spaces": (),
        "email.invalid": ("problem",),
        "contact.missing": (),
        "preferred_time.impossible_day": ("month", "day"),
        "preferred_time.passed": ("words",),
        "preferred_time.not_understood": ("words",),
        "preferred_time.too_far": (),
        "preferred_time.no_day": (),
        "reason.too_long": ("max_chars", "length"),
        "consent.not_yes_or_no": (),
        "change.unknown_detail": (),
        "summary.not_understood": (),
    },
}


@cache
def wording_file(name: str, directory: Path = WORDING_DIR) -> Texts:
    """The checked texts of data/wording/<name>.yml."""
    return load_texts(directory / f"{name}.yml", WORDING_KEYS[name])


def wording(key: str, **values: Any) -> str:
    """The text of "<file>.<key>" ("booking.stored.sent") with its placeholders filled in."""
    name, _, text_key = key.partition(".")
    return wording_file(name).render(text_key, **values)


def load_all_wording(directory: Path = WORDING_DIR) -> None:
    """Read and check every wording file; a file the code does not read is refused too."""
    unread = sorted(path.name for path in directory.glob("*.yml") if path.stem not in WORDING_KEYS)
    if unread:
        raise ConfigError(
            f"{directory}: {', '.join(unread)} is not read by the code "
            f"(wording files: {', '.join(sorted(WORDING_KEYS))})"
        )
    for name in WORDING_KEYS:
        wording_file(name, directory)
