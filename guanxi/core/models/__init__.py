from .audit import AuditEntry
from .exports import ExportJob
from .tokens import ApiToken, IdempotencyRecord
from .users import Team, TeamMembership, User

__all__ = ["ApiToken", "AuditEntry", "ExportJob", "IdempotencyRecord", "Team", "TeamMembership", "User"]
