"""Hiding patients' email addresses and phone numbers in what staff see and export.

Masking errs on the side of hiding: any run of seven or more digits written like a phone number
(international, national, with spaces, dots, dashes or brackets) is hidden, except calendar dates.
"""

import re
from typing import Any

EMAIL_MASK = "[email hidden]"
PHONE_MASK = "[phone hidden]"

EMAIL = re.compile(r"[\w.!#$%&'*+/=?^`{|}~-]+@[\w-]+(?:\.[\w-]+)+", re.UNICODE)
PHONE_CANDIDATE = re.compile(r"(?<![\w+\-/])(?:\+|00)?\(?\d[\d\s().\-/]{4,}\d(?!\w)")
DATE = re.compile(r"^\d{4}[-/.]\d{1,2}[-/.]\d{1,2}$|^\d{1,2}[-/.]\d{1,2}[-/.]\d{2,4}$")
MIN_PHONE_DIGITS = 7
DIGIT = re.compile(r"\d")


def _mask_phone(match: "re.Match[str]") -> str:
    candidate = match.group(0)
    digits = sum(char.isdigit() for char in candidate)
    if digits < MIN_PHONE_DIGITS or DATE.match(candidate.strip()):
        return candidate
    return PHONE_MASK


def mask_contacts(text: str) -> str:
    """`text` with every email address and phone number replaced by a placeholder."""
    if not text or ("@" not in text and len(DIGIT.findall(text)) < MIN_PHONE_DIGITS):
        return text  # most messages hold neither: let them through untouched
    return PHONE_CANDIDATE.sub(_mask_phone, EMAIL.sub(EMAIL_MASK, text))


def mask_value(value: Any) -> Any:
    """Mask text inside a slot value or an export field; other values pass through."""
    if isinstance(value, str):
        return mask_contacts(value)
    if isinstance(value, list):
        return [mask_value(item) for item in value]
    if isinstance(value, dict):
        return {key: mask_value(item) for key, item in value.items()}
    return value
