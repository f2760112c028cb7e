"""Finding conversations and booking requests by one exact phone number or email address
(bot/staff/contacts.py). A POST, so the contact is never in a URL, a browser history or a log;
every search is in the audit log by kind and count, never by the contact itself."""

from typing import Annotated

from fastapi import Form, Request
from fastapi.responses import Response

from bot.staff import audit
from bot.staff.masking import mask_contacts
from bot.web.console.access import ConsoleDep, StaffPost, client_address, render
from bot.web.console.router import staff_router

MAX_CONTACT_CHARS = 320  # the longest email address


@staff_router.post("/find-contact")
def find_contact(
    request: Request,
    console: ConsoleDep,
    me: StaffPost,
    contact: Annotated[str, Form(max_length=MAX_CONTACT_CHARS)] = "",
) -> Response:
    found = console.find_by_contact(contact)
    detail = "not a phone number or email address"
    if found is not None:
        kind, conversations, bookings = found[0].kind, found[1], found[2]
        detail = f"{kind}: {len(conversations)} conversations, {len(bookings)} booking requests"
    console.audit.record(
        me.account.username, audit.SEARCH_CONTACT, detail=detail, client_address=client_address(request)
    )
    return render(
        request,
        "contact_results.html",
        me,
        status=200 if found is not None else 400,
        active="conversations",
        found=found,
        kb=console.kb,
        mask=mask_contacts,
    )
