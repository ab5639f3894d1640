from .audit import AuditEntry, AuditLink
from .exports import ExportJob
from .money import Currency, ExchangeRate, TaxRate
from .roles import Role
from .sessions import LoginThrottle, UserSession
from .tokens import ApiToken, IdempotencyRecord
from .users import Team, TeamMembership, User

__all__ = [
    "ApiToken",
    "AuditEntry",
    "AuditLink",
    "Currency",
    "ExchangeRate",
    "ExportJob",
    "IdempotencyRecord",
    "LoginThrottle",
    "Role",
    "TaxRate",
    "Team",
    "TeamMembership",
    "User",
    "UserSession",
]
