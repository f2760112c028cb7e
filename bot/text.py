"""Cleaning a patient's text, in one place for the channels and the booking form."""

import unicodedata

# Invisible formatting characters that change how text looks or reads but carry no words:
# zero-width space, direction marks and overrides ("Trojan Source"), word joiner, BOM.
# Zero-width joiners stay: emoji sequences and some scripts need them.
INVISIBLE_CHARACTERS = frozenset(
    {
        "\u200b",
        "\u200e",
        "\u200f",
        "\u2060",
        "\ufeff",
        *(chr(c) for c in range(0x202A, 0x202F)),
        *(chr(c) for c in range(0x2066, 0x206A)),
    }
)


def clean_text(text: str) -> str:
    """NFKC-normalised text on one line, without control, surrogate or invisible characters.

    Line breaks and tabs become spaces; a NUL or a lone surrogate would also break PostgreSQL.
    """
    normalised = unicodedata.normalize("NFKC", text)
    kept = "".join(
        " " if char.isspace() else char
        for char in normalised
        if char.isspace()
        or (char not in INVISIBLE_CHARACTERS and unicodedata.category(char) not in ("Cc", "Cs"))
    )
    return " ".join(kept.split())
