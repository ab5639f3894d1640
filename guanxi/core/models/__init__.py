from .audit import AuditEntry
from .tokens import ApiToken, IdempotencyRecord
from .users import Team, TeamMembership, User

__all__ = ["ApiToken", "AuditEntry", "IdempotencyRecord", "Team", "TeamMembership", "User"]
