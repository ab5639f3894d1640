from .merges import DuplicateDismissal, PartyMerge
from .parties import Address, ContactPoint, Employment, Party, PartyGram, PartyIdentifier, PartyNote, Tag

__all__ = [
    "Address",
    "ContactPoint",
    "DuplicateDismissal",
    "Employment",
    "Party",
    "PartyGram",
    "PartyIdentifier",
    "PartyMerge",
    "PartyNote",
    "Tag",
]
