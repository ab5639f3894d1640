from .parties import Address, ContactPoint, Employment, Party, PartyGram, PartyIdentifier, PartyNote, Tag

__all__ = [
    "Address",
    "ContactPoint",
    "Employment",
    "Party",
    "PartyGram",
    "PartyIdentifier",
    "PartyNote",
    "Tag",
]
