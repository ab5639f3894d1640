from django.contrib.auth.models import Group
from django.db import models
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _


class Role(models.Model):
    """What a role may do (actions) and which records it reaches (a scope per area).

    Users hold roles through Django groups (one group per role, named by the role's code). The shipped
    roles are seeded and kept in step by migrations (each app grants its own actions); an administrator
    makes custom roles by copying one. See guanxi.core.roles for how a user's roles add up.
    """

    code = models.SlugField(_("code"), max_length=50, unique=True)
    name = models.CharField(_("name"), max_length=100, blank=True)  # custom roles; shipped: translated
    name_zh = models.CharField(_("name (Chinese)"), max_length=100, blank=True)
    group = models.OneToOneField(Group, on_delete=models.CASCADE, related_name="role")
    shipped = models.BooleanField(_("shipped"), default=False)
    all_access = models.BooleanField(default=False)  # the administrator: every action, every record
    actions = models.JSONField(default=list)  # action codes (guanxi.core.registry)
    view_scopes = models.JSONField(default=dict)  # {area code: Scope}
    edit_scopes = models.JSONField(default=dict)
    based_on = models.ForeignKey("self", null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    version = models.PositiveIntegerField(default=1)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("role")
        verbose_name_plural = _("roles")
        ordering = ["-shipped", "id"]

    def __str__(self) -> str:
        return self.label

    @property
    def label(self) -> str:
        from guanxi.core.roles import SHIPPED_LABELS

        if self.shipped and self.code in SHIPPED_LABELS:
            return str(SHIPPED_LABELS[self.code])
        if (get_language() or "").lower().startswith("zh") and self.name_zh:
            return self.name_zh
        return self.name or self.name_zh or self.code
