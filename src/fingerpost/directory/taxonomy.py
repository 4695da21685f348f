"""The vocabulary the Open Referral UK feed tags its services with.

Services are tagged with one published taxonomy of our own, "Digital help":
a term for each kind of help the help desk knows (helpdesk.models.Need) and
one for each kind of online borrowing (EbookKind), under two parent terms.
It is published by the feed itself (`/openreferral/taxonomies`,
`/openreferral/taxonomy_terms`), and its identifiers are fixed UUIDs derived
from each term's code, so they are the same in every deployment and never
change. See docs/decisions.md for why this and not another vocabulary.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass

from fingerpost.helpdesk.models import Need

from .models import EbookKind

# Fixed: changing it would change every published identifier.
NAMESPACE = uuid.UUID("6f1b5f0e-8d0c-5a86-9a53-0e2f4a0c7d11")
TAXONOMY_CODE = "digital-help"
TAXONOMY_ID = uuid.uuid5(NAMESPACE, f"taxonomy:{TAXONOMY_CODE}")
TAXONOMY_NAME = "Digital help"
TAXONOMY_VERSION = "1"
TAXONOMY_DESCRIPTION = (
    "Kinds of free help for residents to use the internet, phones, tablets and "
    "computers, and the library's online borrowing."
)

DIGITAL_SUPPORT = "digital-support"
ONLINE_LIBRARY = "online-library"

NEED_DESCRIPTIONS = {
    Need.GETTING_ONLINE: "Help to get connected: Wi-Fi, mobile data and cheaper internet.",
    Need.USING_A_DEVICE: "Help to set up and use a phone, tablet or computer.",
    Need.EMAIL: "Help to set up and use email and messaging apps.",
    Need.VIDEO_CALLS: "Help to make video calls to family and friends.",
    Need.ONLINE_FORMS: "Help with online forms and services, like benefits, the GP or the council.",
    Need.SHOPPING_BANKING: "Help to shop and bank online safely.",
    Need.STAYING_SAFE: "Help to spot scams and keep accounts and passwords safe.",
    Need.FINDING_WORK: "Help to look and apply for jobs online.",
    Need.OTHER: "Other help with digital things.",
}
EBOOK_DESCRIPTIONS = {
    EbookKind.EBOOKS: "Borrow e-books from the library on a phone, tablet or e-reader.",
    EbookKind.EAUDIOBOOKS: "Borrow audiobooks from the library to listen to on a phone or tablet.",
    EbookKind.EMAGAZINES: "Read magazines and newspapers from the library on a phone or tablet.",
}


@dataclass(frozen=True)
class Term:
    code: str
    name: str
    description: str
    parent: str = ""

    @property
    def id(self) -> uuid.UUID:
        return term_id(self.code)

    @property
    def parent_id(self) -> uuid.UUID | None:
        return term_id(self.parent) if self.parent else None


def term_id(code: str) -> uuid.UUID:
    return uuid.uuid5(NAMESPACE, f"term:{TAXONOMY_CODE}:{code}")


def terms() -> list[Term]:
    """Every term, parents first."""
    result = [
        Term(DIGITAL_SUPPORT, "Digital support", "Free help to use digital things."),
        Term(ONLINE_LIBRARY, "Online library", "Borrowing from the library online."),
    ]
    result += [
        Term(str(need.value), str(need.label), NEED_DESCRIPTIONS[need], DIGITAL_SUPPORT)
        for need in Need
    ]
    result += [
        Term(str(kind.value), str(kind.label), EBOOK_DESCRIPTIONS[kind], ONLINE_LIBRARY)
        for kind in EbookKind
    ]
    return result


def term_by_id(value: str) -> Term | None:
    try:
        wanted = uuid.UUID(value)
    except (ValueError, AttributeError, TypeError):
        return None
    return next((term for term in terms() if term.id == wanted), None)


def term_by_code(code: str) -> Term:
    return next(term for term in terms() if term.code == code)
