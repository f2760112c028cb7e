"""When booking is offered (natural moments, no nagging), callback vs consultation requests,
and the id of the confirming message."""

from bot.booking.history import booking_offer_allowed, booking_offer_due, confirmation_id, request_kind
from bot.booking.slots import CALLBACK, CONSULTATION


def action(name):
    return {"event": "action", "name": name}


def user(intent, **extra):
    return {"event": "user", "parse_data": {"intent": {"name": intent}}, **extra}


def answered(n):
    events = []
    for _ in range(n):
        events += [user("ask_what_is"), action("action_answer_topic"), action("action_listen")]
    return events


def test_booking_is_offered_after_a_few_answers_not_after_the_first():
    assert not booking_offer_due(answered(0), "what_is")
    assert not booking_offer_due(answered(1), "what_is")
    assert booking_offer_due(answered(2), "what_is")  # this is the third answer


def test_booking_is_offered_after_is_this_right_for_me():
    assert booking_offer_due([], "candidacy")


def test_no_offer_again_right_after_an_offer():
    events = answered(2) + [action("utter_offer_booking"), action("action_listen")]
    assert not booking_offer_due(events + answered(1), "what_is")
    assert booking_offer_due(events + answered(2), "what_is")


def test_is_this_right_for_me_right_after_an_offer_gets_no_second_offer():
    events = [user("ask_cost"), action("utter_no_price_info"), action("utter_offer_booking")]
    assert not booking_offer_due(events + [action("action_listen")], "candidacy")


def asked_price(events):
    """The patient asks about price; the rules answer, and would then offer booking."""
    return [*events, user("ask_cost"), action("utter_no_price_info")]


def test_a_price_seeker_is_offered_booking_once_per_three_answers_and_twice_at_most():
    events, offered = [], []
    for _ in range(9):
        events = asked_price(events)
        offered.append(booking_offer_allowed(events))
        if offered[-1]:
            events.append(action("utter_offer_booking"))
        events.append(action("action_listen"))
    assert offered == [True, False, False, True, False, False, False, False, False]


def test_no_offer_after_an_off_page_answer_once_the_patient_said_no():
    events = asked_price([]) + [action("utter_offer_booking"), action("action_listen"), user("deny")]
    events += [action("utter_no_problem"), action("action_listen")] + answered(4)
    events += [user("out_of_scope"), action("utter_out_of_scope")]
    assert not booking_offer_allowed(events)


def test_off_page_answers_count_between_offers():
    events = answered(2) + [action("utter_offer_booking"), action("action_listen")]
    events = asked_price(asked_price(events) + [action("action_listen")]) + [action("action_listen")]
    assert booking_offer_due(events, "what_is")  # two off-page answers, then this page answer


def test_no_more_offers_once_declined():
    events = [
        action("utter_offer_booking"),
        action("action_listen"),
        user("deny"),
        action("utter_no_problem"),
    ]
    assert not booking_offer_due(events + answered(5), "candidacy")


def test_no_offers_during_or_after_a_booking():
    events = [
        user("request_booking"),
        action("booking_form"),
        {"event": "active_loop", "name": "booking_form"},
    ]
    assert not booking_offer_due(events + answered(3), "candidacy")


def test_no_offers_once_the_patient_is_getting_emergency_care():
    events = [
        user("report_emergency"),
        action("action_answer_emergency"),
        user("inform"),
        action("action_emergency_acknowledged"),
        action("action_listen"),
    ]
    assert not booking_offer_due(events + answered(3), "candidacy")
    assert not booking_offer_allowed(events + answered(3) + [action("utter_out_of_scope")])


def test_at_most_two_offers_in_a_conversation():
    offer = [action("utter_offer_booking"), action("action_listen")]
    events = answered(3) + offer + answered(3) + offer
    assert not booking_offer_due(events + answered(3), "candidacy")


def test_a_new_session_starts_afresh():
    events = [action("utter_offer_booking"), user("deny"), {"event": "session_started"}]
    assert booking_offer_due(events, "candidacy")


def test_a_form_started_right_after_asking_for_a_person_is_a_callback_request():
    handoff = [
        user("request_human"),
        action("action_human_handoff"),
        action("action_listen"),
        user("affirm"),
        action("booking_form"),
    ]
    assert request_kind(handoff) == CALLBACK
    offer = [user("ask_cost"), action("utter_offer_booking"), action("action_listen"), user("affirm")]
    assert request_kind(offer) == CONSULTATION
    assert (
        request_kind(
            handoff + [action("action_submit_booking"), action("action_listen"), user("request_booking")]
        )
        == CONSULTATION
    )


def test_confirmation_id_is_the_latest_message():
    events = [user("inform", message_id="a1"), user("affirm", message_id="b2", timestamp=5)]
    assert confirmation_id(events) == "b2"
    assert confirmation_id([user("affirm", timestamp=1700000000.5)]) == "1700000000.5"
