from django.conf import settings
from django.db import models

CATEGORIES = [("standard", "Standard"), ("custom", "Custom"), ("hazardous", "Hazardous")]
STATUSES = [
    ("draft", "Draft"),
    ("submitted", "Submitted"),
    ("approved", "Approved"),
    ("rejected", "Rejected"),
]


class Widget(models.Model):
    """An owned document of the test app, sold to a customer (a party)."""

    name = models.CharField("name", max_length=100)
    amount = models.DecimalField("amount", max_digits=12, decimal_places=2, default=0)
    discount_percent = models.DecimalField("discount", max_digits=5, decimal_places=2, default=0)
    category = models.CharField("category", max_length=20, choices=CATEGORIES, default="standard")
    status = models.CharField("status", max_length=20, choices=STATUSES, default="draft")  # set by approvals
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    team = models.ForeignKey("core.Team", null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    customer = models.ForeignKey(
        "parties.Party", null=True, blank=True, on_delete=models.PROTECT, related_name="widgets"
    )

    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["id"]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return f"/widgets/{self.pk}/"
