"""Approvals: rules that administrators set per document type, requests that follow them level by level,
the approvers resolved for each level (steps), delegation while away, and the problems an administrator
must fix (a document that no rule covers). See docs/subsystems/approvals.md."""

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class ApproverKind(models.TextChoices):
    ROLE = "role", _("Role")
    USER = "user", _("Named user")
    TEAM_MANAGER = "team_manager", _("Team manager")


class LevelMode(models.TextChoices):
    ANY = "any", _("Any one of them")
    ALL = "all", _("All of them")


class ApprovalRule(models.Model):
    """For one document type: when it applies (conditions, all must hold) and who approves, level by level.
    The first active rule in `position` order that matches a submitted document is followed."""

    document_type = models.CharField(_("document type"), max_length=60)
    name = models.CharField(_("name"), max_length=100)
    position = models.PositiveIntegerField(_("order"), default=0)
    # [{"field": "amount", "op": "gt", "value": "10000"}, {"field": "category", "op": "in", "value": ["x"]}]
    conditions = models.JSONField(_("conditions"), default=list, blank=True)
    no_approval = models.BooleanField(_("no approval needed"), default=False)
    is_active = models.BooleanField(_("active"), default=True)
    version = models.PositiveIntegerField(default=1)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("approval rule")
        verbose_name_plural = _("approval rules")
        ordering = ["document_type", "position", "id"]
        indexes = [models.Index(fields=["document_type", "position"], name="approval_rule_order_idx")]

    def __str__(self) -> str:
        return self.name


class ApprovalRuleLevel(models.Model):
    """One level of a rule: approved by the holders of a role, a named user, or the manager(s) of the
    document's team; by any one of them or by all of them."""

    rule = models.ForeignKey(ApprovalRule, on_delete=models.CASCADE, related_name="levels")
    position = models.PositiveSmallIntegerField(default=1)
    kind = models.CharField(_("approved by"), max_length=20, choices=ApproverKind.choices)
    role = models.ForeignKey("core.Role", null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    mode = models.CharField(_("who must approve"), max_length=5, choices=LevelMode.choices, default="any")

    class Meta:
        ordering = ["rule", "position"]

    def __str__(self) -> str:
        return f"{self.rule_id}.{self.position}"


class RequestStatus(models.TextChoices):
    PENDING = "pending", pgettext_lazy("approval", "Waiting for approval")
    APPROVED = "approved", pgettext_lazy("approval", "Approved")
    REJECTED = "rejected", pgettext_lazy("approval", "Rejected")
    CANCELLED = "cancelled", pgettext_lazy("approval", "Withdrawn")


class ApprovalRequest(models.Model):
    """One submission of one document. The values that rules tested and the approvers of every level are
    taken when it is submitted, so a later change of the rules, roles or teams does not change it."""

    document_type = models.CharField(max_length=60)
    object_id = models.CharField(max_length=40)
    title = models.CharField(max_length=200)  # the document's title when submitted (if it is gone later)
    rule = models.ForeignKey(ApprovalRule, null=True, on_delete=models.SET_NULL, related_name="+")
    rule_name = models.CharField(max_length=100)
    values = models.JSONField(default=dict)  # {field: value} when submitted
    requester = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    last_changed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    status = models.CharField(max_length=10, choices=RequestStatus.choices, default=RequestStatus.PENDING)
    current_level = models.PositiveSmallIntegerField(default=1)
    level_count = models.PositiveSmallIntegerField(default=0)
    submitted_at = models.DateTimeField()
    decided_at = models.DateTimeField(null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    version = models.PositiveIntegerField(default=1)  # raised by every decision (a guard against races)

    class Meta:
        verbose_name = _("approval request")
        verbose_name_plural = _("approval requests")
        ordering = ["-submitted_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["document_type", "object_id"],
                condition=Q(status="pending"),
                name="uniq_pending_approval",
            )
        ]
        indexes = [
            models.Index(fields=["document_type", "object_id", "-submitted_at"], name="approval_doc_idx"),
            models.Index(fields=["requester", "-submitted_at", "-id"], name="approval_requester_idx"),
            # "Submitted by me": the requests one submitted for someone else, newest first (merged with the
            # requester's own, selectors/approvals.py submitted_page).
            models.Index(
                fields=["submitted_by", "-submitted_at", "-id"],
                condition=~Q(requester=F("submitted_by")),
                name="approval_submitter_idx",
            ),
        ]

    def __str__(self) -> str:
        return self.title


class StageStatus(models.TextChoices):
    WAITING = "waiting", pgettext_lazy("approval", "Not yet")
    PENDING = "pending", pgettext_lazy("approval", "Waiting")
    APPROVED = "approved", pgettext_lazy("approval", "Approved")
    REJECTED = "rejected", pgettext_lazy("approval", "Rejected")
    CANCELLED = "cancelled", pgettext_lazy("approval", "Not needed")


class ApprovalStage(models.Model):
    """One level of a request, as its rule said when the document was submitted."""

    request = models.ForeignKey(ApprovalRequest, on_delete=models.CASCADE, related_name="stages")
    position = models.PositiveSmallIntegerField()
    kind = models.CharField(max_length=20, choices=ApproverKind.choices)
    role = models.ForeignKey("core.Role", null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    team = models.ForeignKey("core.Team", null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    mode = models.CharField(max_length=5, choices=LevelMode.choices)
    status = models.CharField(max_length=10, choices=StageStatus.choices, default=StageStatus.WAITING)
    decided_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["request", "position"]
        constraints = [models.UniqueConstraint(fields=["request", "position"], name="uniq_approval_stage")]

    def __str__(self) -> str:
        return f"{self.request_id}.{self.position}"


class StepStatus(models.TextChoices):
    WAITING = "waiting", pgettext_lazy("approval", "Not yet")
    PENDING = "pending", pgettext_lazy("approval", "Waiting")
    APPROVED = "approved", pgettext_lazy("approval", "Approved")
    REJECTED = "rejected", pgettext_lazy("approval", "Rejected")
    NOT_NEEDED = "not_needed", pgettext_lazy("approval", "Not needed")
    SKIPPED = "skipped", pgettext_lazy("approval", "Skipped")


class SkipReason(models.TextChoices):
    REQUESTER = "requester", _("requested it")
    LAST_CHANGER = "last_changer", _("last changed the approval values")
    NO_ACCESS = "no_access", _("may not see the document")
    INACTIVE = "inactive", _("account deactivated")


class ApprovalStep(models.Model):
    """One approver of one level. An approver who may not approve (segregation of duties) is kept as a
    skipped step with the reason, so the path shows why they are not asked."""

    request = models.ForeignKey(ApprovalRequest, on_delete=models.CASCADE, related_name="steps")
    stage = models.ForeignKey(ApprovalStage, on_delete=models.CASCADE, related_name="steps")
    approver = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    status = models.CharField(max_length=12, choices=StepStatus.choices, default=StepStatus.WAITING)
    skip_reason = models.CharField(max_length=20, choices=SkipReason.choices, blank=True)
    pending_since = models.DateTimeField(null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    comment = models.TextField(blank=True)

    class Meta:
        ordering = ["stage", "id"]
        indexes = [
            # The inbox: an approver's pending steps, newest first (keyset paging over it).
            models.Index(
                fields=["approver", "-pending_since", "-id"],
                condition=Q(status="pending"),
                name="approval_inbox_idx",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.request_id}:{self.approver_id}"

    @property
    def on_behalf(self) -> bool:
        return bool(self.decided_by_id and self.decided_by_id != self.approver_id)


class DelegationStatus(models.TextChoices):
    ACTIVE = "active", _("Active")
    ENDED = "ended", _("Ended early")
    EXPIRED = "expired", _("Expired")


class ApprovalDelegation(models.Model):
    """While `delegator` is away (from `starts_on` to `ends_on`, both included), `delegate` sees their
    approvals in the inbox and decides on their behalf. The dates decide; `status` records an early end and
    the nightly expiry."""

    delegator = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    delegate = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    starts_on = models.DateField(_("from"))
    ends_on = models.DateField(_("until"))
    note = models.CharField(_("note"), max_length=200, blank=True)
    status = models.CharField(max_length=10, choices=DelegationStatus.choices, default="active")
    created_at = models.DateTimeField(auto_now_add=True)
    ended_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("delegation")
        verbose_name_plural = _("delegations")
        ordering = ["-starts_on", "-id"]
        constraints = [
            models.CheckConstraint(condition=Q(ends_on__gte=F("starts_on")), name="delegation_dates_order"),
            models.CheckConstraint(condition=~Q(delegate=F("delegator")), name="delegation_not_self"),
        ]
        indexes = [
            models.Index(
                fields=["delegate", "starts_on", "ends_on"],
                condition=Q(status="active"),
                name="delegation_delegate_idx",
            ),
            models.Index(fields=["delegator", "-starts_on"], name="delegation_delegator_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.delegator_id} → {self.delegate_id}"


class ProblemKind(models.TextChoices):
    NO_RULE = "no_rule", _("No rule applies")
    NO_APPROVER = "no_approver", _("A level has no approver")


class ApprovalProblem(models.Model):
    """A submission that failed because of the rules (none applied, or a level had nobody to approve): shown
    to administrators on Settings → Approval rules until they dismiss it."""

    kind = models.CharField(max_length=20, choices=ProblemKind.choices)
    document_type = models.CharField(max_length=60)
    object_id = models.CharField(max_length=40)
    title = models.CharField(max_length=200)
    values = models.JSONField(default=dict)  # what the rules tested
    level = models.PositiveSmallIntegerField(null=True, blank=True)  # the level left without an approver
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    at = models.DateTimeField(auto_now_add=True)
    resolved_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-at", "-id"]
        indexes = [
            models.Index(fields=["-at"], condition=Q(resolved_at=None), name="approval_problem_open_idx")
        ]

    def __str__(self) -> str:
        return f"{self.kind} {self.document_type}:{self.object_id}"
