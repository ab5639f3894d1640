from .audit import AuditEntry, AuditLink
from .exports import ExportJob
from .jobs import PeriodicRun, WorkerHeartbeat
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
    "PeriodicRun",
    "Role",
    "TaxRate",
    "Team",
    "TeamMembership",
    "User",
    "UserSession",
    "WorkerHeartbeat",
]
