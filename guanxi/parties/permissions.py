"""The parties app's permission actions and record areas (declared in guanxi.parties.registry)."""


class Action:
    PARTY_VIEW = "party.view"
    PARTY_CREATE = "party.create"
    PARTY_CHANGE = "party.change"
    PARTY_ARCHIVE = "party.archive"
    PARTY_EXPORT = "party.export"
    PARTY_MERGE = "party.merge"  # the duplicates list; merge two parties and undo a merge
    NOTE_ADD = "note.add"  # notes on the timeline of a party the user may see
    TAG_MANAGE = "tag.manage"


class Area:
    """Sides of the party data that roles reach with a scope."""

    CUSTOMERS = "customers"
    SUPPLIERS = "suppliers"
