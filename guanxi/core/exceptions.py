"""Errors that services raise and every interface (web, API, CLI) turns into a clear message."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _


class GuanxiError(Exception):
    status = 400
    default_message = _("The request could not be completed.")

    def __init__(self, message=None):
        self.message = message or self.default_message
        super().__init__(str(self.message))


class PermissionDeniedError(GuanxiError):
    status = 403
    default_message = _("You do not have permission to do this.")


class NotFoundError(GuanxiError):
    status = 404
    default_message = _("Not found.")


class ConflictError(GuanxiError):
    """Optimistic locking: the record changed since the user loaded it."""

    status = 409
    default_message = _(
        "Someone else changed this record after you opened it. Your input is kept below: "
        "review the current values and save again."
    )


__all__ = ["ConflictError", "GuanxiError", "NotFoundError", "PermissionDeniedError", "ValidationError"]
