"""The red-flag rules (bot/safety/red_flags.py), without Rasa: each symptom group, typos, and every
way a mention is ruled out (negation, idiom, everyday meaning, local effect, long-standing)."""

import pytest
from rasa.shared.nlu.training_data.loading import load_data

from bot.knowledge import get_knowledge_base
from bot.safety.red_flags import EMERGENCY, GENERAL_QUESTION, NO_RED_FLAG, detect_red_flags
from bot.safety.vocabulary import get_red_flag_vocabulary
from tests.support.paths import PROJECT_ROOT
from tests.support.safety_evaluation import load_set


@pytest.mark.parametrize(
    "text, symptom",
    [
        ("it's kinda hard to swallow since yesterday", "swallowing"),
        ("swalowing is difficult", "swallowing"),
        ("food keeps getting stuck", "swallowing"),
        ("i keep choking on water", "choking"),
        ("its hard to breath", "breathing"),
        ("short of breath after the jabs", "breathing"),
        ("I'm wheezing", "wheezing"),
        ("my speech is slurred", "speaking"),
        ("I can't talk properly", "speaking"),
        ("my arms feel weak", "weakness"),
        ("weakness spreading down my neck", "weakness"),
        ("double vision since the botox", "vision"),
        ("vison is blury", "vision"),
        ("I've lost control of my bladder", "bladder"),
        ("hives all over my arms", "allergic_reaction"),
        ("my tongue feels swollen", "allergic_reaction"),
        ("my throat is closing up", "allergic_reaction"),
        ("my face is swelling up fast", "face_swelling"),
        ("I feel like I'm going to pass out", "fainting"),
        ("i think the toxin has spread", "toxin_spread"),
        ("the bread gets stuck halfway down my throat", "swallowing"),
        ("i couldnt get my soup down at lunch", "swallowing"),
        ("i get winded climbing one flight of stairs", "breathing"),
        ("it's hard to get a full breath in", "breathing"),
        ("his words come out all garbled", "speaking"),
        ("my legs feel so heavy i can barely", "weakness"),
        ("i have no strength in my hands since monday", "weakness"),
        ("the road signs split in two when i drive", "vision"),
        ("the text on my screen overlaps itself", "vision"),
        ("her mouth suddenly drooped on one side", "stroke_signs"),
        ("he is suddenly confused and can't find the remote", "stroke_signs"),
        ("my dad has a squeezing pain in his chest", "chest_pain"),
        ("every face on tv has a ghost image beside it", "vision"),
        ("she is saying gibberish since lunch", "speaking"),
        ("i can't get my saliva down at all", "swallowing"),
        ("the rice at dinner kept getting stuck", "swallowing"),
        ("he suddenly told me his left leg went numb", "stroke_signs"),
        ("she seems confused about what year it is", "stroke_signs"),
        ("he keeps clutching his chest", "chest_pain"),
        ("my lips and around my mouth are swelling up a lot", "allergic_reaction"),
    ],
)
def test_each_urgent_symptom_fires_on_its_own(text, symptom):
    result = detect_red_flags(text)
    assert result.decision == EMERGENCY
    assert symptom in result.symptoms


@pytest.mark.parametrize("text", ["my voice is hoarse", "my eyelid is drooping"])
def test_a_secondary_sign_alone_does_not_fire(text):
    result = detect_red_flags(text)
    assert result.decision == NO_RED_FLAG
    assert [reason for _, reason in result.ignored] == ["alone, not urgent"] * len(result.ignored)


@pytest.mark.parametrize(
    "text", ["my top lid on the left is sagging lower than the right", "my left eye feels heavy today"]
)
def test_a_drooping_eyelid_in_other_words_is_a_sign_for_later_messages(text):
    result = detect_red_flags(text)
    assert result.decision == NO_RED_FLAG and result.signs == ("eyelid_droop",)


def test_two_secondary_signs_together_fire():
    result = detect_red_flags("my voice is hoarse and my eyelid is drooping")
    assert result.decision == EMERGENCY
    assert set(result.symptoms) == {"voice_change", "eyelid_droop"}


@pytest.mark.parametrize(
    "text, reason",
    [
        ("the bill was a hard pill to swallow lol", "idiom"),
        ("no trouble swallowing, just a bruise", "negated"),
        ("I don't have any difficulty breathing", "negated"),
        ("I can't breathe, this price is crazy", "everyday meaning"),
        ("that price is hard to swallow", "everyday meaning"),
        ("I swallowed my pride and booked", "idiom"),
        ("my sister's results took my breath away", "idiom"),
        ("there's a faint bruise by my mouth", "idiom"),
        ("my speech is better since the botox", "all well"),
        ("my smile feels a bit weaker on the treated side", "local to the treated face"),
        ("the effect feels weaker this time", "not about the body"),
        ("I feel faint at the sight of needles", "fear of needles"),
        ("I can't talk right now, call me later", "about being available to talk"),
        ("my speech has always been a bit slurred", "long-standing"),
        ("since my bells palsy my smile droops and i slur a bit", "the patient's known condition"),
        ("when the palsy hit, my face suddenly drooped", "the patient's known condition"),
    ],
)
def test_mentions_that_are_not_a_red_flag_say_why(text, reason):
    result = detect_red_flags(text)
    assert result.decision == NO_RED_FLAG
    assert reason in [r for _, r in result.ignored]


@pytest.mark.parametrize(
    "text",
    [
        "no trouble swallowing but I can't breathe",
        "no rash, and my lips are swelling",
        "I always feel short of breath since the botox",
        "lol weird but i cant swallow right",
        "not an emergency I think, just a little short of breath",
    ],
)
def test_a_red_flag_next_to_a_ruled_out_mention_still_fires(text):
    assert detect_red_flags(text).decision == EMERGENCY


@pytest.mark.parametrize(
    "text",
    [
        "can botox cause trouble swallowing?",
        "is difficulty breathing a side effect of botox?",
        "what if the botox spreads to my throat",
        "I read botox can cause swallowing problems, is that right",
        "my aunt told me she had blurry vision after botox, could that happen to me",
        "watched a video where someone couldnt swallow after botox, is that true",
        "could it spread to my throat since it's so close?",
        "hypothetically if i had trouble breathing what would i do",
        "what happens if i get slurred speech? asking before i book",
        "and if it got hard to swallow too",
        "the shots can give problem with breathing? i ask before my first visit",
        "I would like to understand the risks, for example trouble swallowing or weakness",
        "and slurred speech, is that a thing with botox",
        "my dad is booked for next month, could he end up with trouble swallowing?",
        "Good morning, before my treatment I would like to know whether botox can cause trouble breathing.",
    ],
)
def test_a_general_question_about_a_red_flag_is_not_an_emergency(text):
    assert detect_red_flags(text).decision == GENERAL_QUESTION


@pytest.mark.parametrize(
    "text",
    [
        "is it normal that swallowing is harder than usual after botox",
        "can botox cause this? I can't swallow since yesterday",
        "having trouble breathing, should I be worried?",
        "does anyone else get trouble swallowing after botox?",
        "what if i cant swallow since this morning",
        "my vision went blurry since the injections, is that real or am i imagining it",
    ],
)
def test_a_question_from_someone_who_has_the_symptom_is_an_emergency(text):
    assert detect_red_flags(text).decision == EMERGENCY


def test_every_message_of_the_red_flag_set_fires():
    missed = [text for _, text in load_set("red_flags") if not detect_red_flags(text).is_emergency]
    assert missed == []


def test_no_near_miss_fires():
    alarmed = [text for _, text in load_set("near_misses") if detect_red_flags(text).is_emergency]
    assert alarmed == []


def test_no_page_question_of_the_training_or_test_data_fires():
    page_intents = {topic.intent for topic in get_knowledge_base().topics.values()}
    examples = (
        load_data(str(PROJECT_ROOT / "data" / "nlu")).intent_examples
        + load_data(str(PROJECT_ROOT / "tests" / "nlu" / "test_nlu.yml")).intent_examples
    )
    fired = [
        m.get("text")
        for m in examples
        if m.get("intent") in page_intents and detect_red_flags(m.get("text")).decision != NO_RED_FLAG
    ]
    assert fired == []


def test_real_words_are_never_corrected_into_symptoms():
    assert detect_red_flags("do you do breast augmentation").decision == NO_RED_FLAG
    assert detect_red_flags("a week after my jabs, all good").decision == NO_RED_FLAG


@pytest.mark.parametrize("text", ["", "   ", "🙂🙂", "<b>hi</b>", "ÿ" * 50, "blah " * 5000])
def test_odd_or_huge_input_finds_nothing_and_does_not_fail(text):
    assert detect_red_flags(text).decision == NO_RED_FLAG


def test_a_red_flag_deep_in_a_long_message_still_fires():
    text = "thanks for the info about recovery. " * 200 + "also I can't swallow since yesterday"
    assert detect_red_flags(text).decision == EMERGENCY


def test_every_symptom_has_a_level():
    assert set(get_red_flag_vocabulary().levels.values()) == {"urgent", "secondary"}
