"""The safety wording (data/safety/emergency.yml) and the replies composed from it (bot/safety/replies.py)."""

import re

import pytest
import yaml

from bot.safety.replies import (
    SAFETY_WORDING_FILE,
    disclaimer_reply,
    emergency_reply,
    get_safety_wording,
    load_safety_wording,
    mild_symptom_reply,
    serious_risk_reply,
    symptom_phrase,
)
from bot.safety.vocabulary import get_red_flag_vocabulary
from bot.yamlfile import ConfigError


def test_every_red_flag_symptom_has_a_name_for_the_patient():
    assert set(get_red_flag_vocabulary().levels) <= set(get_safety_wording().symptom_names)


def test_the_wording_names_the_fda_sources():
    raw = yaml.safe_load(SAFETY_WORDING_FILE.read_text(encoding="utf-8"))
    names = " ".join(source["name"] for source in raw["sources"])
    assert "Boxed Warning" in names and "Distant Spread of Toxin Effect" in names
    assert "onabotulinumtoxinA" in names


def test_wording_that_cites_an_unknown_source_is_refused(tmp_path):
    raw = yaml.safe_load(SAFETY_WORDING_FILE.read_text(encoding="utf-8"))
    raw["emergency"]["source"] = ["a_blog_post"]
    path = tmp_path / "emergency.yml"
    path.write_text(yaml.safe_dump(raw), encoding="utf-8")
    with pytest.raises(ConfigError, match="must cite sources"):
        load_safety_wording(path)


def test_the_emergency_reply_is_911_first_then_the_symptom_then_the_clinic(clinic_with_routes):
    reply = emergency_reply(["swallowing", "vision"])
    text = reply.text
    assert text.startswith("Please call 911 now, or go to the nearest emergency department.")
    assert "You mentioned trouble swallowing and blurred or double vision" in text
    assert text.index("Do not wait for a reply from the clinic") < text.index(clinic_with_routes.clinic.phone)
    assert reply.buttons == []
    assert reply.custom == {
        "alert": "emergency",
        "symptom": "trouble swallowing and blurred or double vision",
        "symptoms": ["swallowing", "vision"],
    }


def test_an_emergency_without_a_matched_symptom_still_says_what_to_do():
    reply = emergency_reply([])
    assert reply.text.startswith("Please call 911 now") and "needs urgent medical care" in reply.text
    assert reply.text.count("serious reaction") == 0  # nothing named, nothing repeated
    assert reply.custom["alert"] == "emergency"


def test_someone_elses_symptoms_or_no_botox_are_not_called_a_botox_reaction():
    own = emergency_reply(["speaking"]).text
    other = emergency_reply(["speaking"], after_botox=False).text
    assert "after Botox injections" in own
    assert "after Botox" not in other and "You mentioned trouble speaking or slurred speech" in other
    assert other.startswith("Please call 911 now") and "Do not wait" in other


def test_an_emergency_that_is_not_a_botox_effect_is_not_called_a_botox_reaction():
    stroke = emergency_reply(["stroke_signs"], after_botox=True).text
    assert "after Botox" not in stroke and stroke.startswith("Please call 911 now")
    assert "You mentioned sudden drooping, numbness or confusion: this needs urgent medical care" in stroke
    mixed = emergency_reply(["chest_pain", "breathing"], after_botox=True).text
    assert "after Botox injections" in mixed  # trouble breathing can be a reaction


def test_the_emergency_answer_repeats_no_phrase():
    for reply in (
        emergency_reply(["swallowing"]),
        emergency_reply([]),
        emergency_reply(["vision"], after_botox=False),
    ):
        sentences = [s.strip() for s in reply.text.replace("\n", " ").split(".") if s.strip()]
        assert len(sentences) == len(set(sentences)), reply.text


def test_symptoms_are_named_once_each_in_the_order_given():
    assert symptom_phrase(["breathing", "breathing", "wheezing", "choking"]) == (
        "trouble breathing, wheezing and choking"
    )
    assert symptom_phrase(["unknown"]) == ""


def test_the_serious_risk_reply_warns_and_says_when_to_call_911():
    text = serious_risk_reply(["swallowing"]).text
    assert text.startswith("Our page doesn't cover serious risks such as trouble swallowing.")
    assert "hours to weeks" in text and "call 911" in text
    assert serious_risk_reply([]).text.startswith("Our page doesn't cover serious risks such as the")


def test_the_mild_reply_is_the_page_answer_plus_when_to_call_the_clinic(clinic_with_routes):
    reply = mild_symptom_reply()
    assert "mild bruising at the injection sites" in reply.text
    assert "contact the clinic team" in reply.text  # the page answer's own reminder
    assert f"call the clinic team: {clinic_with_routes.clinic.name}, phone +1 214 555 0100" in reply.text
    assert reply.custom["topic"] == "side_effects" and reply.buttons


def test_the_disclaimer_says_automated_general_information_not_medical_advice():
    text = disclaimer_reply().text
    assert "automated" in text and "general information" in text and "not medical advice" in text


def _safety_copy(tmp_path, edit):
    raw = yaml.safe_load(SAFETY_WORDING_FILE.read_text(encoding="utf-8"))
    edit(raw)
    path = tmp_path / "emergency.yml"
    path.write_text(yaml.safe_dump(raw, allow_unicode=True), encoding="utf-8")
    return path


@pytest.mark.parametrize(
    "edit,problem",
    [
        (lambda raw: raw["emergency"].pop("text"), "emergency.yml: `emergency.text` is missing"),
        (lambda raw: raw.update(disclaimer=""), "emergency.yml: `disclaimer` must be a non-empty text"),
        (
            lambda raw: raw["emergency"]["follow_up"].update(with_route="Call {clinic_phone}."),
            "emergency.yml: `emergency.follow_up.with_route` uses {clinic_phone}, which the code does not"
            " fill in",
        ),
        (
            lambda raw: raw["symptom_names"].update(tingling="tingling"),
            "emergency.yml: `symptom_names.tingling` is not a red-flag symptom",
        ),
        (
            lambda raw: raw["symptom_names"].pop("wheezing"),
            "emergency.yml: `symptom_names.wheezing` is missing",
        ),
    ],
)
def test_a_mistake_in_the_safety_wording_is_refused_naming_the_key(tmp_path, edit, problem):
    with pytest.raises(ConfigError, match=re.escape(problem)):
        load_safety_wording(_safety_copy(tmp_path, edit))
