from .parties import Address, ContactPoint, Employment, Party, PartyIdentifier, PartyNote, Tag

__all__ = ["Address", "ContactPoint", "Employment", "Party", "PartyIdentifier", "PartyNote", "Tag"]
