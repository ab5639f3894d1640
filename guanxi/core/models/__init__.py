from .audit import AuditEntry, AuditLink
from .exports import ExportJob
from .notifications import Delivery, MessengerWebhook, Notification, NotificationPreference
from .roles import Role
from .sessions import LoginThrottle, UserSession
from .tokens import ApiToken, IdempotencyRecord
from .users import Team, TeamMembership, User

__all__ = [
    "ApiToken",
    "AuditEntry",
    "AuditLink",
    "Delivery",
    "ExportJob",
    "IdempotencyRecord",
    "LoginThrottle",
    "MessengerWebhook",
    "Notification",
    "NotificationPreference",
    "Role",
    "Team",
    "TeamMembership",
    "User",
    "UserSession",
]
