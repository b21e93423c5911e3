"""English wording of the keep / improve items (METHODOLOGY.md §3), for reports asked for in
English. The Dutch wording in :mod:`meetlat.calc.finding_items` is the source; this table
mirrors it item by item (a test checks that every item has both).

Each entry is (label, advice): the label is the keep wording, the advice the improve wording.
"""

from __future__ import annotations

from collections.abc import Mapping
from types import MappingProxyType
from typing import Final

_SCRIPT = "Use a fixed opening and closing of the conversation (uniform script)."
_CALLBACK = "Offer a callback yourself, with a time, and keep to it."
_ADDRESS = (
    "Also answer e-mails without an address; explain why you ask for data such as an address,"
    " and then use it."
)
_TEMPLATE = "Use a fixed template with a proper salutation and signature."

ENGLISH: Final[Mapping[str, tuple[str, str]]] = MappingProxyType(
    {
        "1": (
            "A member of staff on the line within 20 seconds",
            "Make sure callers speak to a member of staff within 20 seconds.",
        ),
        "2": (
            "Reachable at lunchtime and on Friday afternoon too",
            "Make sure enough staff are available at lunchtime and on Friday afternoon too.",
        ),
        "3": (
            "Questions are answered in one go",
            "Answer the question in the first conversation wherever possible.",
        ),
        "4": (
            "The answer is correct",
            "Make sure staff have correct and up-to-date information at hand.",
        ),
        "5": (
            "The answer is correct and complete",
            "Give a correct and complete answer; check that every part of the question has"
            " been answered.",
        ),
        "6": (
            "Transfers are warm, with the subject passed on",
            "Transfer warmly: announce the caller and state the subject.",
        ),
        "7": (
            "Transferred at most twice",
            "Transfer at most twice; make sure the first member of staff knows who can answer"
            " the question.",
        ),
        "8": ("A callback is offered", _CALLBACK),
        "9": (
            "Reception knows who is in",
            "Make sure reception can see in digital calendars who is in.",
        ),
        "10": ("Staff give their name", _SCRIPT),
        "11": ("Staff announce that the call is recorded", _SCRIPT),
        "12": ("Staff use little jargon", "Use simple words and avoid jargon."),
        "12b": (
            "Staff are friendly",
            "Be friendly and show understanding for the caller's question.",
        ),
        "13": ("Staff ask whether there are any other questions", _SCRIPT),
        "14": ("Staff take an extra step", "Walk the caller through the website or send the link."),
        "15": ("The phone menu is short and clear", "Make the phone menu short and clear."),
        "16": (
            "E-mails get an acknowledgement by return",
            "Send an automatic acknowledgement straight away, stating the term.",
        ),
        "17a": ("E-mails are answered within 24 hours", "Answer within 24 hours."),
        "17b": (
            "E-mails are answered within 2 working days",
            "Answer e-mails within 2 working days.",
        ),
        "18a": (
            "The answer to e-mails is correct",
            "Make sure the answer to an e-mail is correct; have it checked if needed.",
        ),
        "18b": (
            "The answer to e-mails is correct and complete",
            "Make sure the answer to an e-mail is correct and complete.",
        ),
        "19": (
            "E-mails are answered in substance and personally",
            "Answer e-mails in substance and personally, not with a standard text only.",
        ),
        "19a": ("E-mails have a proper salutation", _TEMPLATE),
        "19b": (
            "E-mails contain no internal forwarding messages",
            "Remove internal forwarding messages.",
        ),
        "19c": ("E-mails contain no typing errors", "Check for typing errors."),
        "19d": ("E-mails have a proper closing and signature", _TEMPLATE),
        "19e": ("E-mails are answered to all", "Reply to all."),
        "20": (
            "The e-mail address is public and the form asks only for the data needed",
            _ADDRESS,
        ),
        "21": ("No e-mail is left unanswered", _ADDRESS),
        "22": (
            "Citizens can report that their question was not answered",
            "Offer citizens a simple way to report that their question was not answered.",
        ),
        "23": (
            "Phone and e-mail offer the same quality",
            "Make sure phone and e-mail offer the same quality; the difference in grade is now"
            " more than 1 point.",
        ),
        "24": ("Callback appointments are kept", _CALLBACK),
    }
)

#: Self-assessment items 25-34 in English.
SELF_ASSESSMENT_ENGLISH: Final[Mapping[int, str]] = MappingProxyType(
    {
        25: "Telephone exchange and routing",
        26: "Conversation training",
        27: "Knowledge training",
        28: "Attitude and culture",
        29: "Current products and services catalogue (PDC)",
        30: "Calendar and attendance systems",
        31: "Staff trained and rewarded for using those systems",
        32: "Load on the customer contact centre (KCC)",
        33: "Learning from peer municipalities",
        34: "Structured quality monitoring",
    }
)
