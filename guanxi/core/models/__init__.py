from .approvals import (
    ApprovalDelegation,
    ApprovalProblem,
    ApprovalRequest,
    ApprovalRule,
    ApprovalRuleLevel,
    ApprovalStage,
    ApprovalStep,
)
from .attachments import Attachment
from .audit import AuditEntry, AuditLink
from .companies import Company
from .exports import ExportJob
from .jobs import PeriodicRun, WorkerHeartbeat
from .money import Currency, ExchangeRate, TaxRate
from .notifications import Delivery, MessengerWebhook, Notification, NotificationPreference
from .numbering import NumberCounter, NumberSequence
from .roles import Role
from .saved_views import SavedView
from .sessions import LoginThrottle, UserSession
from .tokens import ApiToken, IdempotencyRecord
from .users import Team, TeamMembership, User

__all__ = [
    "ApiToken",
    "ApprovalDelegation",
    "ApprovalProblem",
    "ApprovalRequest",
    "ApprovalRule",
    "ApprovalRuleLevel",
    "ApprovalStage",
    "ApprovalStep",
    "Attachment",
    "AuditEntry",
    "AuditLink",
    "Company",
    "Currency",
    "Delivery",
    "ExchangeRate",
    "ExportJob",
    "IdempotencyRecord",
    "LoginThrottle",
    "MessengerWebhook",
    "Notification",
    "NotificationPreference",
    "NumberCounter",
    "NumberSequence",
    "PeriodicRun",
    "Role",
    "SavedView",
    "TaxRate",
    "Team",
    "TeamMembership",
    "User",
    "UserSession",
    "WorkerHeartbeat",
]
