from .merges import DUPLICATE_REASONS, DuplicateDismissal, DuplicateScan, DuplicateSuggestion, PartyMerge
from .parties import Address, ContactPoint, Employment, Party, PartyGram, PartyIdentifier, PartyNote, Tag

__all__ = [
    "Address",
    "ContactPoint",
    "DUPLICATE_REASONS",
    "DuplicateDismissal",
    "DuplicateScan",
    "DuplicateSuggestion",
    "Employment",
    "Party",
    "PartyGram",
    "PartyIdentifier",
    "PartyMerge",
    "PartyNote",
    "Tag",
]
