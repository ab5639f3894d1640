from .audit import AuditEntry
from .companies import Company
from .exports import ExportJob
from .numbering import NumberCounter, NumberSequence
from .sessions import LoginThrottle, UserSession
from .tokens import ApiToken, IdempotencyRecord
from .users import Team, TeamMembership, User

__all__ = [
    "ApiToken",
    "AuditEntry",
    "Company",
    "ExportJob",
    "IdempotencyRecord",
    "LoginThrottle",
    "NumberCounter",
    "NumberSequence",
    "Team",
    "TeamMembership",
    "User",
    "UserSession",
]
