from .audit import AuditEntry
from .exports import ExportJob
from .sessions import LoginThrottle, UserSession
from .tokens import ApiToken, IdempotencyRecord
from .users import Team, TeamMembership, User

__all__ = [
    "ApiToken",
    "AuditEntry",
    "ExportJob",
    "IdempotencyRecord",
    "LoginThrottle",
    "Team",
    "TeamMembership",
    "User",
    "UserSession",
]
