"""Pieces of the staff console that need no conversations: masking, CSV safety, where the
tracker store is read from, the fallback threshold, settings."""

import pytest
import yaml

from bot.settings import load_settings
from bot.staff.events import tracker_store_url, url_from_endpoints
from bot.staff.exports import safe_cell
from bot.staff.flags import fallback_threshold
from bot.staff.masking import EMAIL_MASK, PHONE_MASK, mask_contacts, mask_value
from bot.yamlfile import ConfigError
from tests.support.paths import PROJECT_ROOT


@pytest.mark.parametrize(
    "text,hidden",
    [
        ("write to jane.doe+clinic@example.co.uk please", "jane.doe+clinic@example.co.uk"),
        ("call me on +1 (415) 555-0100", "+1 (415) 555-0100"),
        ("my mobile 07700 900123", "07700 900123"),
        ("tel 0049 30 1234567", "0049 30 1234567"),
        ("+44 20 7946 0958.", "+44 20 7946 0958"),
        ("phone:4155550100", "4155550100"),
        ("Ünïcode ✓ ana@例え.jp", "ana@例え.jp"),
    ],
)
def test_contacts_are_masked(text, hidden):
    masked = mask_contacts(text)
    assert hidden not in masked and (EMAIL_MASK in masked or PHONE_MASK in masked)


@pytest.mark.parametrize(
    "text",
    [
        "how long does botox last? 3-4 months?",
        "on 2025-03-04 at 10am",
        "12/05/2025",
        "I paid 1500 dollars",
        "reference BK-20250101-0001",
        "",
        "<b>bold</b>",
    ],
)
def test_ordinary_text_is_left_alone(text):
    assert mask_contacts(text) == text


def test_masking_reaches_into_slot_values():
    assert mask_value({"contact": ["a@b.co", 3]}) == {"contact": [EMAIL_MASK, 3]}


@pytest.mark.parametrize(
    "cell,safe",
    [
        ("=1+2", "'=1+2"),
        ("+1 415", "'+1 415"),
        ("@SUM(A1)", "'@SUM(A1)"),
        ("-3", "'-3"),
        ("plain", "plain"),
        (None, ""),
    ],
)
def test_csv_cells_never_start_a_formula(cell, safe):
    assert safe_cell(cell) == safe


def test_tracker_store_url_comes_from_the_endpoints_file(tmp_path, monkeypatch):
    assert (
        url_from_endpoints(PROJECT_ROOT / "endpoints.yml") == f"sqlite:///{PROJECT_ROOT / 'var/tracker.db'}"
    )
    monkeypatch.setenv("DB_PASSWORD", "s3cret")
    path = tmp_path / "endpoints.yml"
    path.write_text(
        yaml.safe_dump(
            {
                "tracker_store": {
                    "type": "SQL",
                    "dialect": "postgresql",
                    "url": "db.internal",
                    "port": 5433,
                    "db": "rasa",
                    "username": "rasa",
                    "password": "${DB_PASSWORD}",
                }
            }
        )
    )
    assert url_from_endpoints(path) == "postgresql://rasa:s3cret@db.internal:5433/rasa"
    path.write_text(yaml.safe_dump({"tracker_store": {"type": "redis"}}))
    with pytest.raises(ConfigError, match="type SQL"):
        url_from_endpoints(path)


def test_the_production_profile_is_read_like_rasa_reads_it(monkeypatch):
    for name, value in {
        "DB_HOST": "db.internal",
        "DB_PORT": "5432",
        "DB_USER": "rasa",
        "DB_PASSWORD": "",
        "DB_DATABASE": "clinic_bot",
        "ENDPOINTS": "endpoints.production.yml",
    }.items():
        monkeypatch.setenv(name, value)
    staff = load_settings().staff
    assert tracker_store_url(staff) == "postgresql://rasa@db.internal:5432/clinic_bot"


def test_fallback_threshold_is_read_from_the_pipeline(tmp_path):
    assert fallback_threshold() == 0.6
    config = tmp_path / "config.yml"
    config.write_text("pipeline:\n  - name: DIETClassifier\n")
    assert fallback_threshold(config) == 0.3  # Rasa's default


def test_staff_settings_and_their_environment_overrides(monkeypatch):
    staff = load_settings().staff
    assert staff.database_url.startswith("sqlite:////") and staff.retention_days >= 1
    assert not staff.tracker_store_url and staff.endpoints_file == "endpoints.yml"
    monkeypatch.setenv("STAFF_DATABASE_URL", "postgresql://u@127.0.0.1/staff")
    monkeypatch.setenv("STAFF_TRACKER_STORE_URL", "postgresql://u@127.0.0.1/rasa")
    staff = load_settings().staff
    assert staff.database_url == "postgresql://u@127.0.0.1/staff"
    assert staff.tracker_store_url == "postgresql://u@127.0.0.1/rasa"


def test_the_classifiers_own_guess_survives_a_rule_that_replaced_its_intent():
    from bot.staff.flags import best_guess, is_low_confidence, rule_override

    off_page = {
        "intent": {"name": "out_of_scope", "confidence": 1.0},
        "intent_ranking": [
            {"name": "out_of_scope", "confidence": 1.0},
            {"name": "nlu_fallback", "confidence": 0.6},
            {"name": "cancel", "confidence": 0.48},
        ],
        "off_page": {"model_intent": {"name": "nlu_fallback", "confidence": 0.6}},
    }
    assert rule_override(off_page).rule == "off_page"
    assert best_guess(off_page) == {"name": "cancel", "confidence": 0.48}
    assert is_low_confidence(off_page, 0.6)
    red_flag = {
        "intent": {"name": "report_emergency", "confidence": 1.0},
        "intent_ranking": [{"name": "report_emergency", "confidence": 1.0}],
        "red_flag": {"model_intent": {"name": "ask_side_effects", "confidence": 0.93}},
    }
    assert best_guess(red_flag)["name"] == "ask_side_effects" and not is_low_confidence(red_flag, 0.6)
    plain = {
        "intent": {"name": "ask_downtime", "confidence": 0.97},
        "intent_ranking": [{"name": "ask_downtime", "confidence": 0.97}],
    }
    assert rule_override(plain) is None and not is_low_confidence(plain, 0.6)
