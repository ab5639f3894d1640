"""Setting up sales: pipelines, their stages and lost reasons (pipeline.manage). Each write is one transaction
with its audit entry. A stage that opportunities stand in is archived, never deleted; a pipeline keeps at
least one open stage, one won and one lost stage, so that every opportunity can be moved to an end."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _

from guanxi.core.cleaning import clean_text
from guanxi.core.exceptions import PermissionDeniedError
from guanxi.core.models.audit import AuditAction
from guanxi.core.roles import grants_for
from guanxi.core.services.audit import audit_record, diff, snapshot
from guanxi.core.services.money import lock
from guanxi.crm.choices import StageKind
from guanxi.crm.models import DisqualifyReason, LostReason, Pipeline, Stage
from guanxi.crm.permissions import Action

# The first pipeline of a new installation (both languages: every screen works in either).
PRESET_STAGES = [
    ("Qualification", "资格确认", StageKind.OPEN, 10),
    ("Needs analysis", "需求分析", StageKind.OPEN, 30),
    ("Proposal", "方案报价", StageKind.OPEN, 60),
    ("Negotiation", "商务谈判", StageKind.OPEN, 80),
    ("Won", "赢单", StageKind.WON, 100),
    ("Lost", "输单", StageKind.LOST, 0),
]
PRESET_DISQUALIFY_REASONS = [
    ("Not a real enquiry (spam)", "无效线索（垃圾信息）"),
    ("No need", "没有需求"),
    ("Cannot be reached", "联系不上"),
    ("Not our market", "不是目标市场"),
    ("Duplicate of another lead", "重复线索"),
]
PRESET_LOST_REASONS = [
    ("Price too high", "价格太高"),
    ("Lost to a competitor", "输给竞争对手"),
    ("No budget", "没有预算"),
    ("No decision", "客户未决策"),
    ("Product does not fit", "产品不符合需求"),
]


def require_manager(actor) -> None:
    if not grants_for(actor).can(Action.PIPELINE_MANAGE):
        raise PermissionDeniedError()


def pipeline_presets_ensure() -> None:
    """A first pipeline and the usual lost reasons, when there are none (never overwritten)."""
    with transaction.atomic():
        if not Pipeline.objects.exists():
            p = Pipeline.objects.create(name_en="New business", name_zh="新业务", position=1)
            Stage.objects.bulk_create(
                Stage(pipeline=p, name_en=en, name_zh=zh, kind=kind, probability=prob, position=i)
                for i, (en, zh, kind, prob) in enumerate(PRESET_STAGES, start=1)
            )
        if not DisqualifyReason.objects.exists():
            DisqualifyReason.objects.bulk_create(
                DisqualifyReason(name_en=en, name_zh=zh, position=i)
                for i, (en, zh) in enumerate(PRESET_DISQUALIFY_REASONS, start=1)
            )
        if not LostReason.objects.exists():
            LostReason.objects.bulk_create(
                LostReason(name_en=en, name_zh=zh, position=i)
                for i, (en, zh) in enumerate(PRESET_LOST_REASONS, start=1)
            )


def _names(errors: dict, data: dict, obj) -> None:
    for field in ("name_en", "name_zh"):
        if field in data:
            setattr(obj, field, clean_text(errors, field, data[field], max_length=60))
    if not (obj.name_en or obj.name_zh) and "name_en" not in errors:
        errors["name_en"] = _("Give a name in English or in Chinese.")


def _number(errors: dict, field: str, value: Any, *, low: int, high: int) -> int | None:
    try:
        n = int(str(value).strip())
    except (TypeError, ValueError):
        errors[field] = _("Enter a whole number.")
        return None
    if not low <= n <= high:
        errors[field] = _("Enter a number from %(low)d to %(high)d.") % {"low": low, "high": high}
        return None
    return n


_PIPELINE_FIELDS = ["name_en", "name_zh", "stale_after_days", "position"]
_STAGE_FIELDS = ["name_en", "name_zh", "kind", "probability", "position"]


def _pipeline_apply(errors: dict, data: dict, p: Pipeline) -> None:
    _names(errors, data, p)
    if "stale_after_days" in data:
        n = _number(errors, "stale_after_days", data["stale_after_days"], low=1, high=3650)
        p.stale_after_days = n if n is not None else p.stale_after_days
    if "position" in data:
        n = _number(errors, "position", data["position"], low=0, high=10_000)
        p.position = n if n is not None else p.position


@transaction.atomic
def pipeline_create(*, actor, data: dict) -> Pipeline:
    """A new pipeline with the usual stages, renamed and reordered afterwards as the team likes."""
    require_manager(actor)
    errors: dict = {}
    p = Pipeline(position=(Pipeline.objects.aggregate(m=Max("position"))["m"] or 0) + 1)
    _pipeline_apply(errors, data, p)
    if errors:
        raise ValidationError(errors)
    p.save()
    Stage.objects.bulk_create(
        Stage(pipeline=p, name_en=en, name_zh=zh, kind=kind, probability=prob, position=i)
        for i, (en, zh, kind, prob) in enumerate(PRESET_STAGES, start=1)
    )
    audit_record(
        actor=actor, action=AuditAction.CREATE, target=p, changes=diff({}, snapshot(p, _PIPELINE_FIELDS))
    )
    return p


@transaction.atomic
def pipeline_update(*, actor, pipeline: Pipeline, version: Any, data: dict) -> Pipeline:
    require_manager(actor)
    p = lock(Pipeline, pipeline, version)
    before = snapshot(p, _PIPELINE_FIELDS)
    errors: dict = {}
    _pipeline_apply(errors, data, p)
    if errors:
        raise ValidationError(errors)
    changes = diff(before, snapshot(p, _PIPELINE_FIELDS))
    if changes:
        p.version += 1
        p.save()
        audit_record(actor=actor, action=AuditAction.UPDATE, target=p, changes=changes)
    return p


@transaction.atomic
def pipeline_archive(*, actor, pipeline: Pipeline, archived: bool = True) -> Pipeline:
    """An archived pipeline offers no new opportunities; those in it stay where they are."""
    require_manager(actor)
    p = Pipeline.objects.select_for_update().get(pk=pipeline.pk)
    if archived and not Pipeline.objects.filter(archived_at__isnull=True).exclude(pk=p.pk).exists():
        raise ValidationError({"pipeline": _("Keep at least one pipeline in use.")})
    if bool(p.archived_at) != archived:
        p.archived_at = timezone.now() if archived else None
        p.version += 1
        p.save(update_fields=["archived_at", "version"])
        action = AuditAction.ARCHIVE if archived else AuditAction.RESTORE
        audit_record(actor=actor, action=action, target=p, changes={"archived": [not archived, archived]})
    return p


def _stage_apply(errors: dict, data: dict, s: Stage) -> None:
    _names(errors, data, s)
    if "kind" in data:
        if data["kind"] not in StageKind.values:
            errors["kind"] = _("Choose open, won or lost.")
        else:
            s.kind = data["kind"]
    if "probability" in data and s.kind == StageKind.OPEN:
        n = _number(errors, "probability", data["probability"], low=0, high=100)
        s.probability = n if n is not None else s.probability
    if s.kind == StageKind.WON:
        s.probability = 100
    elif s.kind == StageKind.LOST:
        s.probability = 0
    if "position" in data:
        n = _number(errors, "position", data["position"], low=0, high=10_000)
        s.position = n if n is not None else s.position


def _check_ends(pipeline: Pipeline) -> None:
    kinds = set(
        Stage.objects.filter(pipeline=pipeline, archived_at__isnull=True).values_list("kind", flat=True)
    )
    if not {StageKind.OPEN, StageKind.WON, StageKind.LOST} <= kinds:
        raise ValidationError(
            {"kind": _("A pipeline needs at least one open stage, one won and one lost stage.")}
        )


@transaction.atomic
def stage_create(*, actor, pipeline: Pipeline, data: dict) -> Stage:
    require_manager(actor)
    Pipeline.objects.select_for_update().get(pk=pipeline.pk)
    errors: dict = {}
    s = Stage(pipeline=pipeline, position=(pipeline.stages.aggregate(m=Max("position"))["m"] or 0) + 1)
    _stage_apply(errors, data, s)
    if errors:
        raise ValidationError(errors)
    s.save()
    audit_record(
        actor=actor,
        action=AuditAction.CREATE,
        target=s,
        changes=diff({}, snapshot(s, _STAGE_FIELDS)),
        also=[pipeline],
    )
    return s


@transaction.atomic
def stage_update(*, actor, stage: Stage, data: dict) -> Stage:
    """Renaming, reordering or reweighting a stage. Its kind changes only while no opportunity stands in it
    (their state follows the kind)."""
    require_manager(actor)
    Pipeline.objects.select_for_update().get(pk=stage.pipeline_id)
    s = Stage.objects.get(pk=stage.pk)
    before = snapshot(s, _STAGE_FIELDS)
    errors: dict = {}
    old_kind = s.kind
    _stage_apply(errors, data, s)
    if s.kind != old_kind and s.opportunities.exists():
        errors["kind"] = _("Opportunities stand in this stage: move them before changing its kind.")
    if errors:
        raise ValidationError(errors)
    s.save()
    _check_ends(s.pipeline)
    changes = diff(before, snapshot(s, _STAGE_FIELDS))
    if changes:
        audit_record(actor=actor, action=AuditAction.UPDATE, target=s, changes=changes, also=[s.pipeline])
    return s


@transaction.atomic
def stage_archive(*, actor, stage: Stage) -> Stage:
    """A stage leaves the board; it is refused while open opportunities stand in it."""
    require_manager(actor)
    Pipeline.objects.select_for_update().get(pk=stage.pipeline_id)
    s = Stage.objects.get(pk=stage.pk)
    if s.opportunities.filter(state=StageKind.OPEN).exists():
        raise ValidationError({"stage": _("Open opportunities stand in this stage: move them first.")})
    s.archived_at = timezone.now()
    s.save(update_fields=["archived_at"])
    _check_ends(s.pipeline)
    audit_record(
        actor=actor,
        action=AuditAction.ARCHIVE,
        target=s,
        changes={"archived": [False, True]},
        also=[s.pipeline],
    )
    return s


@transaction.atomic
def lost_reason_save(*, actor, reason: LostReason | None, data: dict) -> LostReason:
    require_manager(actor)
    r = LostReason.objects.select_for_update().get(pk=reason.pk) if reason else LostReason()
    before = (
        {**snapshot(r, ["name_en", "name_zh", "position"]), "archived": bool(r.archived_at)} if reason else {}
    )
    errors: dict = {}
    _names(errors, data, r)
    if "position" in data:
        n = _number(errors, "position", data["position"], low=0, high=10_000)
        r.position = n if n is not None else r.position
    elif reason is None:
        r.position = (LostReason.objects.aggregate(m=Max("position"))["m"] or 0) + 1
    if "archived" in data:
        r.archived_at = (r.archived_at or timezone.now()) if data["archived"] else None
    if errors:
        raise ValidationError(errors)
    r.save()
    after = {**snapshot(r, ["name_en", "name_zh", "position"]), "archived": bool(r.archived_at)}
    changes = diff(before, after)
    if changes:
        audit_record(
            actor=actor,
            action=AuditAction.CREATE if reason is None else AuditAction.UPDATE,
            target=r,
            changes=changes,
        )
    return r
