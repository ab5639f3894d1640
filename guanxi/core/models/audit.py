from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class AuditAction(models.TextChoices):
    CREATE = "create", _("Created")
    UPDATE = "update", _("Updated")
    ARCHIVE = "archive", _("Archived")
    RESTORE = "restore", _("Restored")
    DELETE = "delete", _("Deleted")
    MERGE = "merge", _("Merged")  # a duplicate party folded into this one, or this one into another
    UNMERGE = "unmerge", _("Merge undone")
    # Sign-in events (target and subject: the user; `changes` holds the client's address and browser).
    LOGIN = "login", _("Logged in")
    LOGOUT = "logout", _("Logged out")
    LOGIN_FAILED = "login_failed", _("Failed login")
    LOGIN_BLOCKED = "login_blocked", _("Login refused: too many failed attempts")
    SESSION_END = "session_end", _("Session ended")


class AuditEntry(models.Model):
    """Append-only record of a change to business data: who, when, what, old -> new."""

    at = models.DateTimeField(auto_now_add=True, db_index=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    action = models.CharField(max_length=20, choices=AuditAction.choices)
    target_type = models.CharField(max_length=60)  # "app_label.model"
    target_id = models.CharField(max_length=40)
    target_repr = models.CharField(max_length=200)
    # The record this change belongs to on a history tab (e.g. the party for one of its addresses).
    subject_type = models.CharField(max_length=60)
    subject_id = models.CharField(max_length=40)
    changes = models.JSONField(default=dict)  # {field: [old, new]}

    class Meta:
        ordering = ["-at", "-id"]
        indexes = [models.Index(fields=["subject_type", "subject_id", "-at"], name="audit_subject_idx")]

    def __str__(self) -> str:
        return f"{self.action} {self.target_type}:{self.target_id}"


class AuditLink(models.Model):
    """A further record that an audit entry is about: a change on a quote also shows in the history of its
    customer (`audit_record(..., also=[customer])`)."""

    entry = models.ForeignKey(AuditEntry, on_delete=models.CASCADE, related_name="links")
    subject_type = models.CharField(max_length=60)
    subject_id = models.CharField(max_length=40)

    class Meta:
        indexes = [models.Index(fields=["subject_type", "subject_id"], name="audit_link_subject_idx")]
        constraints = [
            models.UniqueConstraint(fields=["entry", "subject_type", "subject_id"], name="uniq_audit_link")
        ]

    def __str__(self) -> str:
        return f"{self.entry_id} -> {self.subject_type}:{self.subject_id}"
