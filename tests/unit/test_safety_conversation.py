"""Safety across a whole conversation (bot/safety/conversation.py), over Rasa's event dicts:
emergency mode after an alert, signs added up over messages, whose emergency it is."""

import pytest

from bot.names import ActionName, Intent
from bot.safety.conversation import (
    PATTERN_KEYS,
    botox_reaction_wording,
    emergency_symptoms,
    in_emergency_mode,
    load_conversation_safety,
    next_safety_action,
)
from bot.yamlfile import ConfigError


def user(text, intent=Intent.INFORM, symptoms=(), signs=()):
    red_flag = {
        "decision": "emergency" if symptoms else "none",
        "symptoms": list(symptoms),
        "signs": list(signs),
    }
    return {"event": "user", "text": text, "parse_data": {"intent": {"name": intent}, "red_flag": red_flag}}


def action(name):
    return {"event": "action", "name": name}


ALERTED = [
    user("i can't swallow since the botox", Intent.REPORT_EMERGENCY, symptoms=["swallowing"]),
    action(ActionName.ANSWER_EMERGENCY),
    action(ActionName.LISTEN),
]


@pytest.mark.parametrize(
    "text",
    [
        "is it maybe just swelling from the needle?",
        "can I wait till the morning",
        "I took an antihistamine",
        "can the doctor call me instead",
        "how long do results last btw",
        "I don't want to go to the ER for nothing",
        "should i go to the hospital?",
        "ok",
    ],
)
def test_in_emergency_mode_every_message_gets_the_repeat(text):
    assert next_safety_action([*ALERTED, user(text)]) == ActionName.REPEAT_EMERGENCY


@pytest.mark.parametrize(
    "text",
    [
        "ok my husband is driving me to the emergency room",
        "calling 911 now",
        "the ambulance is on its way",
        "we're at the hospital, the doctors are seeing her",
        "ok, I'll go now",
    ],
)
def test_getting_help_ends_emergency_mode(text):
    events = [*ALERTED, user(text)]
    assert next_safety_action(events) == ActionName.EMERGENCY_ACKNOWLEDGED
    ended = [*events, action(ActionName.EMERGENCY_ACKNOWLEDGED), action(ActionName.LISTEN)]
    assert not in_emergency_mode(ended)
    assert next_safety_action([*ended, user("thanks")]) is None


def test_after_a_safety_answer_the_bot_waits_for_the_patient():
    assert next_safety_action(ALERTED[:2]) == ActionName.LISTEN
    assert (
        next_safety_action([*ALERTED, user("but"), action(ActionName.REPEAT_EMERGENCY)]) == ActionName.LISTEN
    )
    assert next_safety_action([user("hi"), action("utter_greet")]) is None


def test_an_alert_during_a_form_stops_the_form_before_waiting():
    loop = {"event": "active_loop", "name": "booking_form"}
    alerted = [
        loop,
        user("my eyelid is heavy", signs=["eyelid_droop"]),
        user("hoarse", signs=["voice_change"]),
    ]
    assert next_safety_action(alerted) == ActionName.ANSWER_EMERGENCY
    answered = [*alerted, action(ActionName.ANSWER_EMERGENCY)]
    assert next_safety_action(answered) == ActionName.DEACTIVATE_LOOP
    stopped = [*answered, action(ActionName.DEACTIVATE_LOOP), {"event": "active_loop", "name": None}]
    assert next_safety_action(stopped) == ActionName.LISTEN


def test_a_new_session_starts_outside_emergency_mode():
    events = [*ALERTED, {"event": "session_started"}, action(ActionName.LISTEN), user("hello")]
    assert next_safety_action(events) is None


def test_two_different_signs_over_messages_are_an_emergency():
    first = user("my eyelid feels heavy", Intent.REPORT_MILD_SYMPTOM, signs=["eyelid_droop"])
    second = user("and it's a bit blurry on that side", signs=["blurriness"])
    events = [first, action(ActionName.ANSWER_MILD_SYMPTOM), action(ActionName.LISTEN), second]
    assert next_safety_action(events) == ActionName.ANSWER_EMERGENCY
    assert emergency_symptoms(events) == ["eyelid_droop", "blurriness"]


def test_one_sign_or_signs_far_apart_are_not():
    heavy = user("my eyelid feels heavy", signs=["eyelid_droop"])
    assert next_safety_action([heavy]) is None
    assert next_safety_action([heavy, user("still heavy", signs=["eyelid_droop"])]) is None
    apart = [
        heavy,
        user("how long does it last"),
        user("when can i book"),
        user("hoarse today", signs=["voice_change"]),
    ]
    assert next_safety_action(apart) is None  # the signs window is three messages
    assert next_safety_action([heavy, user("hoarse today", signs=["voice_change"]), user("ok")]) is None


@pytest.mark.parametrize(
    "text", ["I don't have any symptoms, I was just asking about the risks", "I haven't even had it yet"]
)
def test_no_symptoms_at_all_after_an_alert_gets_the_risk_information_and_ends_the_mode(text):
    events = [*ALERTED, user(text)]
    assert next_safety_action(events) == ActionName.ANSWER_SERIOUS_RISK
    answered = [*events, action(ActionName.ANSWER_SERIOUS_RISK)]
    assert next_safety_action(answered) == ActionName.LISTEN  # no booking offer right after an alert
    assert not in_emergency_mode(answered)


@pytest.mark.parametrize(
    "text", ["its fine now tho mostly", "i just want to know if its listed", "i was just asking"]
)
def test_feeling_fine_now_or_insisting_on_an_answer_does_not_end_the_mode(text):
    assert next_safety_action([*ALERTED, user(text)]) == ActionName.REPEAT_EMERGENCY


@pytest.mark.parametrize(
    "text",
    [
        "whats the emergency number here, im in spain",
        "what's the 911 here, i'm in portugal",
        "i have a meeting, i'll go to the hospital after work",
    ],
)
def test_asking_how_or_putting_it_off_is_not_getting_help(text):
    assert next_safety_action([*ALERTED, user(text)]) == ActionName.REPEAT_EMERGENCY


def test_help_for_a_symptom_named_after_the_treatment_is_getting_help():
    text = "we're at the hospital, he couldn't swallow after his botox, they are treating him"
    assert next_safety_action([*ALERTED, user(text)]) == ActionName.EMERGENCY_ACKNOWLEDGED


@pytest.mark.parametrize(
    "text",
    [
        "sorry that came out wrong, i was asking for after my appointment",
        "i dont have it, my appointment is next month",
        "she's not having any issues, we just want to be prepared",
    ],
)
def test_clarifications_that_there_is_no_symptom_end_the_mode(text):
    assert next_safety_action([*ALERTED, user(text)]) == ActionName.ANSWER_SERIOUS_RISK


def test_not_having_had_the_appointment_yet_ends_the_mode():
    text = "just asking for info only, i dont have my appointment until june"
    assert next_safety_action([*ALERTED, user(text)]) == ActionName.ANSWER_SERIOUS_RISK


@pytest.mark.parametrize(
    "text, acknowledged",
    [
        ("the ambulance is on its way, i had a bad reaction to the shots", True),
        ("my husband is driving me to my appointment, can i eat before?", False),
    ],
)
def test_help_on_its_way_outside_emergency_mode_is_acknowledged_only_for_an_emergency(text, acknowledged):
    expected = ActionName.EMERGENCY_ACKNOWLEDGED if acknowledged else None
    assert next_safety_action([user(text)]) == expected


RISK_ANSWERED = [
    user("can botox cause trouble breathing?", Intent.ASK_SERIOUS_RISK),
    action(ActionName.ANSWER_SERIOUS_RISK),
    action(ActionName.OFFER_BOOKING),
    action(ActionName.LISTEN),
]


@pytest.mark.parametrize("text", ["and double vision?", "like blurry or double vision", "what about hives"])
def test_a_follow_on_after_the_risk_information_is_another_risk_question(text):
    events = [*RISK_ANSWERED, user(text, Intent.REPORT_EMERGENCY, symptoms=["vision"])]
    assert next_safety_action(events) == ActionName.ANSWER_SERIOUS_RISK
    assert next_safety_action([*events, action(ActionName.ANSWER_SERIOUS_RISK)]) == ActionName.LISTEN


@pytest.mark.parametrize("text", ["and now i have double vision", "and my vision is blurry since lunch"])
def test_a_follow_on_that_reports_the_symptom_is_still_an_emergency(text):
    events = [*RISK_ANSWERED, user(text, Intent.REPORT_EMERGENCY, symptoms=["vision"])]
    assert next_safety_action(events) is None  # the rules' emergency answer stands


@pytest.mark.parametrize(
    "text, acknowledged",
    [
        ("the ambulance is on the way, what should i have ready for them?", True),
        ("we're in the ER now, should i tell them which dose she had?", True),
        ("i'm at the hospital but i don't want to wait, im leaving", False),
    ],
)
def test_help_already_here_ends_the_mode_even_with_a_question(text, acknowledged):
    expected = ActionName.EMERGENCY_ACKNOWLEDGED if acknowledged else ActionName.REPEAT_EMERGENCY
    assert next_safety_action([*ALERTED, user(text)]) == expected


def test_a_patient_already_getting_help_is_not_alarmed_again():
    text = "i'm at the ER now, had botox 2 days ago and started seeing double"
    assert next_safety_action([user(text, Intent.REPORT_EMERGENCY, symptoms=["vision"])]) == (
        ActionName.EMERGENCY_ACKNOWLEDGED
    )


@pytest.mark.parametrize(
    "texts, botox",
    [
        (["i had my injections on monday", "now i can't swallow"], True),
        (["i can't swallow properly"], False),  # Botox not mentioned
        (["my dad's face is drooping and his speech is slurred, he never had botox"], False),
        (["my mom had botox yesterday and can't swallow"], False),  # someone else's symptoms
    ],
)
def test_a_botox_reaction_is_named_only_for_the_patients_own_symptoms_after_botox(texts, botox):
    assert botox_reaction_wording([user(t) for t in texts]) is botox


def test_the_file_is_checked_when_loaded(tmp_path):
    path = tmp_path / "conversation.yml"
    good = "signs_window: 3\n" + "".join(f"{key}: ['x']\n" for key in PATTERN_KEYS)
    path.write_text(good)
    assert load_conversation_safety(path).signs_window == 3
    for broken, problem in [
        (good.replace("signs_window: 3", "signs_window: '3'"), "signs_window"),
        (good.replace("treatment: ['x']", "treatment: ['(']"), "treatment"),
        (good.replace("someone_else: ['x']\n", ""), "someone_else"),
        (good + "spare: ['x']\n", "spare"),
    ]:
        path.write_text(broken)
        with pytest.raises(ConfigError, match=problem):
            load_conversation_safety(path)
