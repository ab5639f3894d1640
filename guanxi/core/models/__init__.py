from .attachments import Attachment
from .audit import AuditEntry, AuditLink
from .companies import Company
from .exports import ExportJob
from .jobs import PeriodicRun, WorkerHeartbeat
from .money import Currency, ExchangeRate, TaxRate
from .notifications import Delivery, MessengerWebhook, Notification, NotificationPreference
from .numbering import NumberCounter, NumberSequence
from .roles import Role
from .sessions import LoginThrottle, UserSession
from .tokens import ApiToken, IdempotencyRecord
from .users import Team, TeamMembership, User

__all__ = [
    "ApiToken",
    "Attachment",
    "AuditEntry",
    "AuditLink",
    "Company",
    "Currency",
    "ExchangeRate",
    "ExportJob",
    "IdempotencyRecord",
    "LoginThrottle",
    "NumberCounter",
    "NumberSequence",
    "PeriodicRun",
    "Delivery",
    "ExportJob",
    "IdempotencyRecord",
    "LoginThrottle",
    "MessengerWebhook",
    "Notification",
    "NotificationPreference",
    "Role",
    "TaxRate",
    "Team",
    "TeamMembership",
    "User",
    "UserSession",
    "WorkerHeartbeat",
]
