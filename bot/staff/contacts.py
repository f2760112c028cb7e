"""Finding conversations by a patient's phone number or email address without showing contact
details in any list: staff type one exact contact; it is normalised (a phone number to E.164 for
the clinic's regions, an email address to lower case) and compared with keyed hashes (HMAC-SHA256
under the console's secret key) of the contacts found in patients' messages, so the index holds
no contact in the clear and the masked text search cannot be used to probe for one."""

import hashlib
import hmac
from collections.abc import Sequence
from dataclasses import dataclass

from bot.booking.validators import find_emails, find_phones, validate_email, validate_phone
from bot.staff.masking import DIGIT, MIN_PHONE_DIGITS


@dataclass(frozen=True)
class Contact:
    kind: str  # "phone" or "email"
    value: str  # normalised: E.164, or the address in lower case

    @property
    def key(self) -> str:
        return f"{self.kind}:{self.value}"


def contact_from_query(typed: str, regions: Sequence[str]) -> Contact | None:
    """The one phone number or email address staff typed, normalised; None if it is neither."""
    typed = typed.strip()
    if "@" in typed:
        email = validate_email(typed)
        return Contact("email", email.value.lower()) if email.ok else None
    phone = validate_phone(typed, regions)
    return Contact("phone", phone.value) if phone.ok else None


def contacts_in(text: str, regions: Sequence[str]) -> set[Contact]:
    """Every phone number and email address in a patient's message, normalised."""
    found: set[Contact] = set()
    if "@" in text:
        emails, _ = find_emails(text)
        found.update(Contact("email", email.value.lower()) for email in emails)
    if len(DIGIT.findall(text)) >= MIN_PHONE_DIGITS:
        found.update(Contact("phone", phone.value) for phone in find_phones(text, regions))
    return found


class ContactHasher:
    """Keyed hashes of normalised contacts: equal contacts give equal hashes, and without the
    key a hash cannot be checked against a guessed number."""

    def __init__(self, key: str) -> None:
        self._key = hashlib.sha256(f"contact-search:{key}".encode()).digest()

    def digest(self, contact: Contact) -> str:
        return hmac.new(self._key, contact.key.encode(), hashlib.sha256).hexdigest()

    def digests_in(self, text: str, regions: Sequence[str]) -> set[str]:
        return {self.digest(contact) for contact in contacts_in(text, regions)}
