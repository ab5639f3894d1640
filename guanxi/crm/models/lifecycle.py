"""The customer lifecycle's one setting: after how many days without a confirmed order an active customer
becomes inactive (沉睡客户). One row, made on first use."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class SalesSettings(models.Model):
    inactive_after_days = models.PositiveIntegerField(_("inactive after days without an order"), default=180)
    version = models.PositiveIntegerField(default=1, editable=False)

    class Meta:
        verbose_name = _("sales settings")
        verbose_name_plural = _("sales settings")

    def __str__(self) -> str:
        return str(self._meta.verbose_name)

    @classmethod
    def current(cls) -> SalesSettings:
        return cls.objects.get_or_create(pk=1)[0]
