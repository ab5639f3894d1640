"""A supplier's bank accounts (where we pay it) and the proposed changes to them.

Bank details are the classic supplier-payment fraud path, so an account is never edited in place: a user with
`supplier.bank_propose` proposes a change (a new account, new details of one, or closing one) with a reason,
someone else approves it through the approvals block, and only then does the account change
(guanxi.suppliers.services.bank_accounts). The change rows keep the values before and after for ever."""

from __future__ import annotations

from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from .changes import ProposedChange


class BankAccount(models.Model):
    party = models.ForeignKey(
        "parties.Party", on_delete=models.PROTECT, related_name="bank_accounts", verbose_name=_("supplier")
    )
    bank_name = models.CharField(_("bank"), max_length=200)  # 开户银行
    account_name = models.CharField(_("account holder"), max_length=200)  # 户名
    account_number = models.CharField(_("account number"), max_length=40)  # digits and letters, no spaces
    swift = models.CharField(_("SWIFT / BIC"), max_length=11, blank=True)
    currency = models.ForeignKey(
        "core.Currency", on_delete=models.PROTECT, related_name="+", verbose_name=_("currency")
    )
    is_primary = models.BooleanField(_("primary"), default=False)
    closed_at = models.DateTimeField(_("closed"), null=True, blank=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    version = models.PositiveIntegerField(default=1, editable=False)

    class Meta:
        verbose_name = _("bank account")
        verbose_name_plural = _("bank accounts")
        ordering = ["-is_primary", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["party", "account_number"],
                condition=Q(closed_at=None),
                name="bank_account_open_unique",
            ),
            models.UniqueConstraint(
                fields=["party"],
                condition=Q(closed_at=None, is_primary=True),
                name="bank_account_one_primary",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.bank_name} ···{self.account_number[-4:]}"

    @property
    def masked_number(self) -> str:
        return f"···· {self.account_number[-4:]}" if len(self.account_number) > 4 else self.account_number


class ChangeKind(models.TextChoices):
    ADD = "add", _("New account")
    CHANGE = "change", _("Change of details")
    CLOSE = "close", _("Closing")


class BankAccountChange(ProposedChange):
    """One proposed change of a supplier's bank accounts; an approvable document ("suppliers.bankaccountchange")."""

    account = models.ForeignKey(
        BankAccount, null=True, blank=True, on_delete=models.PROTECT, related_name="changes"
    )  # the account changed or closed; for a new one, set when it is applied
    kind = models.CharField(_("change"), max_length=10, choices=ChangeKind.choices)
    bank_name = models.CharField(_("bank"), max_length=200, blank=True)
    account_name = models.CharField(_("account holder"), max_length=200, blank=True)
    account_number = models.CharField(_("account number"), max_length=40, blank=True)
    swift = models.CharField(_("SWIFT / BIC"), max_length=11, blank=True)
    currency = models.ForeignKey(
        "core.Currency", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    make_primary = models.BooleanField(_("make it the primary account"), default=False)
    before = models.JSONField(default=dict, editable=False)  # the account's details when proposed

    class Meta(ProposedChange.Meta):
        verbose_name = _("bank account change")
        verbose_name_plural = _("bank account changes")
        indexes = [models.Index(fields=["party", "state"], name="bankchange_party_state")]
        constraints = [
            # One waiting change per account: a second one would be decided on stale "before" values.
            models.UniqueConstraint(
                fields=["account"], condition=Q(state="pending"), name="bankchange_one_pending_per_account"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} · {self.party_id}"

    def get_absolute_url(self) -> str:
        return reverse("suppliers:bank_change", args=[self.pk])

    def after(self) -> dict:
        """The details as they will be (or were) once applied."""
        return {
            "bank_name": self.bank_name,
            "account_name": self.account_name,
            "account_number": self.account_number,
            "swift": self.swift,
            "currency": self.currency_id or "",
            "is_primary": self.make_primary,
        }
