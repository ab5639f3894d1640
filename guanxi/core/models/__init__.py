from .approvals import (
    ApprovalDelegation,
    ApprovalProblem,
    ApprovalRequest,
    ApprovalRule,
    ApprovalRuleLevel,
    ApprovalStage,
    ApprovalStep,
)
from .audit import AuditEntry, AuditLink
from .exports import ExportJob
from .roles import Role
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
    "AuditEntry",
    "AuditLink",
    "ExportJob",
    "IdempotencyRecord",
    "LoginThrottle",
    "Role",
    "Team",
    "TeamMembership",
    "User",
    "UserSession",
]
