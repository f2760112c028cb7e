"""What staff ask the console for in links and forms, as typed parameters (dates, pages, flags,
booking statuses, export formats), and what they read when a value is refused."""

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date
from typing import Annotated, Any, Literal

from fastapi import Depends, Form, HTTPException, Query

from bot.names import BOOKING_STATUSES, REVIEW_STATUSES
from bot.staff.conversations import ConversationQuery
from bot.staff.flags import Flag
from bot.staff.reviews import MAX_TAG_CHARS, ReviewError, normalise_tags
from bot.web.console.filters import iso_day

MAX_TEXT_QUERY = 200
# Far past any real page, and small enough that page × page size is a 64-bit SQL offset.
MAX_PAGE = 10**12
MAX_CONVERSATION_ID = 255  # the tracker store's sender_id column
MAX_REFERENCE = 64  # the audit log's booking_reference column

BookingStatus = Literal[BOOKING_STATUSES]  # type: ignore[valid-type] # a Literal of its values
ReviewStatus = Literal[REVIEW_STATUSES]  # type: ignore[valid-type]
ExportFormat = Literal["csv", "json"]
Page = Annotated[int, Query(ge=1, le=MAX_PAGE)]
DayFrom = Annotated[date | None, Query(alias="from")]
DayTo = Annotated[date | None, Query(alias="to")]

# What staff read when a value is refused, by the parameter's name; the console's links and
# forms only send valid values, so these are for edited or stale URLs.
REFUSALS = {
    "from": "The from date must look like 2025-01-31.",
    "to": "The to date must look like 2025-01-31.",
    "flag": "Unknown flag.",
    "status": "Unknown status.",
    "format": "Exports are CSV or JSON.",
}
NOT_UNDERSTOOD = "That request was not understood."


def refusal(errors: Sequence[dict[str, Any]]) -> str:
    """The message for a request whose parameters were refused (FastAPI's validation errors)."""
    names = [error["loc"][-1] for error in errors if error.get("loc")]
    return next((REFUSALS[name] for name in names if name in REFUSALS), NOT_UNDERSTOOD)


@dataclass(frozen=True)
class ListParams:
    """The conversation filters, read from a query string or a form."""

    flag: Flag | None
    date_from: date | None
    date_to: date | None
    text: str
    page: int
    status: str = ""
    assignee: str = ""
    tag: str = ""

    def query(self) -> ConversationQuery:
        return ConversationQuery(
            self.flag,
            self.date_from,
            self.date_to,
            self.text,
            self.page,
            self.status,
            self.assignee,
            self.tag,
        )

    def as_params(self) -> dict[str, str]:
        return {
            "flag": self.flag.value if self.flag else "",
            "from": iso_day(self.date_from),
            "to": iso_day(self.date_to),
            "q": self.text,
            "status": self.status,
            "assignee": self.assignee,
            "tag": self.tag,
        }

    def audit_detail(self) -> str:
        """What was listed, without the search words (they may be a patient's)."""
        review = " ".join(
            f"{k}={v}"
            for k, v in (("status", self.status), ("assignee", self.assignee), ("tag", self.tag))
            if v
        )
        return (
            f"flag={self.flag.value if self.flag else 'any'} from={iso_day(self.date_from) or '-'} "
            f"to={iso_day(self.date_to) or '-'} page={self.page}"
            + (" text-search" if self.text else "")
            + (f" {review}" if review else "")
        )


def _list_params(source: Callable[..., Any]) -> Callable[..., ListParams]:
    """A dependency reading the conversation filters with `source` (`Query` or `Form`)."""

    def read(
        flag: Annotated[Flag | None, source()] = None,
        date_from: Annotated[date | None, source(alias="from")] = None,
        date_to: Annotated[date | None, source(alias="to")] = None,
        text: Annotated[str, source(alias="q", max_length=MAX_TEXT_QUERY)] = "",
        page: Annotated[int, source(ge=1, le=MAX_PAGE)] = 1,
        status: Annotated[ReviewStatus | None, source()] = None,
        assignee: Annotated[str, source(max_length=80)] = "",
        tag: Annotated[str, source(max_length=MAX_TAG_CHARS)] = "",
    ) -> ListParams:
        if date_from and date_to and date_from > date_to:
            raise HTTPException(400, "The from date is after the to date.")
        try:
            tags = normalise_tags(tag)
        except ReviewError as error:
            raise HTTPException(400, str(error)) from error
        return ListParams(
            flag,
            date_from,
            date_to,
            text,
            page,
            status or "",
            assignee.strip().lower(),
            tags[0] if tags else "",
        )

    return read


ListQuery = Annotated[ListParams, Depends(_list_params(Query))]
ListForm = Annotated[ListParams, Depends(_list_params(Form))]
