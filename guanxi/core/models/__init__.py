from .audit import AuditEntry
from .exports import ExportJob
from .jobs import PeriodicRun, WorkerHeartbeat
from .sessions import LoginThrottle, UserSession
from .tokens import ApiToken, IdempotencyRecord
from .users import Team, TeamMembership, User

__all__ = [
    "ApiToken",
    "AuditEntry",
    "ExportJob",
    "IdempotencyRecord",
    "LoginThrottle",
    "PeriodicRun",
    "Team",
    "TeamMembership",
    "User",
    "UserSession",
    "WorkerHeartbeat",
]
