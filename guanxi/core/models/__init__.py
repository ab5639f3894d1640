from .audit import AuditEntry
from .sessions import LoginThrottle, UserSession
from .tokens import ApiToken, IdempotencyRecord
from .users import Team, TeamMembership, User

__all__ = [
    "ApiToken",
    "AuditEntry",
    "IdempotencyRecord",
    "LoginThrottle",
    "Team",
    "TeamMembership",
    "User",
    "UserSession",
]
