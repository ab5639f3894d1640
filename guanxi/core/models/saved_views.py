from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class SavedView(models.Model):
    """A list as someone set it up — its filters, sort and columns, kept as the list's query string — under a
    name, for its owner alone or shared with one of the owner's teams (guanxi.core.services.saved_views)."""

    list_key = models.CharField(_("list"), max_length=60)  # a registered list: "crm.opportunities"
    name = models.CharField(_("name"), max_length=60)
    query = models.CharField(_("filters"), max_length=2000, blank=True)
    owner = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    team = models.ForeignKey(
        "core.Team",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("shared with"),
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("saved view")
        verbose_name_plural = _("saved views")
        ordering = ["name", "id"]
        indexes = [models.Index(fields=["list_key", "team"], name="savedview_team_idx")]
        constraints = [
            models.UniqueConstraint(fields=["owner", "list_key", "name"], name="uniq_saved_view_name"),
        ]

    def __str__(self) -> str:
        return self.name
