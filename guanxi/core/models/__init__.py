from .audit import AuditEntry
from .exports import ExportJob
from .money import Currency, ExchangeRate, TaxRate
from .sessions import LoginThrottle, UserSession
from .tokens import ApiToken, IdempotencyRecord
from .users import Team, TeamMembership, User

__all__ = [
    "ApiToken",
    "AuditEntry",
    "Currency",
    "ExchangeRate",
    "ExportJob",
    "IdempotencyRecord",
    "LoginThrottle",
    "TaxRate",
    "Team",
    "TeamMembership",
    "User",
    "UserSession",
]
