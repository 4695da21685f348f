"""The partnership network: who's who, conversations, the resource library,
shared initiatives and their boards, and what the search reads."""

from .boards import (
    Board,
    BoardImport,
    BoardList,
    Card,
    CardAttachment,
    CardComment,
    CardEvent,
    Checklist,
    ChecklistItem,
    Initiative,
    InitiativeMember,
    Label,
)
from .conversations import Mention, Post, PostReport, Topic, TopicFollow
from .people import Discipline, OrganisationProfile, Profile
from .resources import Resource, ResourceVersion
from .search import SearchDocument

__all__ = [
    "Board",
    "BoardImport",
    "BoardList",
    "Card",
    "CardAttachment",
    "CardComment",
    "CardEvent",
    "Checklist",
    "ChecklistItem",
    "Discipline",
    "Initiative",
    "InitiativeMember",
    "Label",
    "Mention",
    "OrganisationProfile",
    "Post",
    "PostReport",
    "Profile",
    "Resource",
    "ResourceVersion",
    "SearchDocument",
    "Topic",
    "TopicFollow",
]
