"""Setting up sales: the shipped pipeline and lost reasons, pipelines and their stages (a pipeline always keeps
an open, a won and a lost stage), lost reasons; only pipeline.manage does any of it, and all is audited."""

import pytest
from django.core.exceptions import ValidationError

from guanxi.core.exceptions import ConflictError, PermissionDeniedError
from guanxi.core.models import AuditEntry
from guanxi.core.selectors.users import history_for
from guanxi.crm.models import LostReason, Pipeline, Stage
from guanxi.crm.selectors.setup import lost_reason_list, pipeline_list
from guanxi.crm.services import pipelines as svc
from guanxi.crm.services.opportunities import opportunity_win
from guanxi.crm.tests.factories import make_opportunity

pytestmark = pytest.mark.django_db


def _fields_of(call) -> dict:
    with pytest.raises(ValidationError) as exc:
        call()
    return exc.value.message_dict


def _shape(pipeline) -> list[tuple]:
    return list(
        pipeline.stages.order_by("position").values_list(
            "name_en", "name_zh", "kind", "probability", "position"
        )
    )


def _preset_shape() -> list[tuple]:
    return [(en, zh, kind, prob, i) for i, (en, zh, kind, prob) in enumerate(svc.PRESET_STAGES, start=1)]


def _counts() -> tuple[int, int, int]:
    return Pipeline.objects.count(), Stage.objects.count(), LostReason.objects.count()


# --- presets -----------------------------------------------------------------------------------------------


def test_presets_are_made_once_and_never_overwritten(admin_user):
    Pipeline.objects.all().delete()
    LostReason.objects.all().delete()
    svc.pipeline_presets_ensure()
    p = Pipeline.objects.get()
    assert (p.name_en, p.name_zh) == ("New business", "新业务") and _shape(p) == _preset_shape()
    assert list(LostReason.objects.values_list("name_en", "name_zh")) == svc.PRESET_LOST_REASONS
    proposal = p.stages.get(name_en="Proposal")
    svc.stage_update(actor=admin_user, stage=proposal, data={"name_en": "Quote", "probability": 55})
    counts = _counts()
    svc.pipeline_presets_ensure()
    svc.pipeline_presets_ensure()
    assert _counts() == counts == (1, len(svc.PRESET_STAGES), len(svc.PRESET_LOST_REASONS))
    assert p.stages.filter(name_en="Quote", probability=55).exists()


def test_missing_lost_reasons_are_added_beside_an_existing_pipeline(db):
    LostReason.objects.all().delete()
    pipelines, stages, _reasons = _counts()
    svc.pipeline_presets_ensure()
    assert _counts() == (pipelines, stages, len(svc.PRESET_LOST_REASONS))


# --- pipelines ---------------------------------------------------------------------------------------------


def test_a_new_pipeline_comes_with_the_usual_stages_and_is_audited(world):
    p = svc.pipeline_create(actor=world.manager, data={"name_zh": "续约", "stale_after_days": "14"})
    assert p.name == "续约" and p.stale_after_days == 14
    assert p.position == world.pipeline.position + 1
    assert _shape(p) == _preset_shape()
    entry = AuditEntry.objects.get(target_type="crm.pipeline", target_id=str(p.pk))
    assert entry.action == "create" and entry.actor == world.manager
    assert entry.changes["name_zh"] == [None, "续约"] and entry.changes["stale_after_days"] == [None, 14]


@pytest.mark.parametrize(
    ("data", "field"),
    [
        ({}, "name_en"),
        ({"name_en": " ", "name_zh": ""}, "name_en"),
        ({"name_en": "x" * 61}, "name_en"),
        ({"name_zh": "a\x00"}, "name_zh"),
        ({"name_en": "P", "stale_after_days": 0}, "stale_after_days"),
        ({"name_en": "P", "stale_after_days": "often"}, "stale_after_days"),
        ({"name_en": "P", "position": -1}, "position"),
    ],
)
def test_bad_pipeline_input_is_refused_by_field(world, data, field):
    count = Pipeline.objects.count()
    assert field in _fields_of(lambda: svc.pipeline_create(actor=world.admin, data=data))
    assert Pipeline.objects.count() == count


def test_updating_a_pipeline_is_locked_by_version_and_audited(world):
    p = svc.pipeline_update(
        actor=world.manager, pipeline=world.pipeline, version=1, data={"stale_after_days": 7}
    )
    assert p.version == 2 and p.stale_after_days == 7
    with pytest.raises(ConflictError):
        svc.pipeline_update(actor=world.manager, pipeline=p, version=1, data={"name_en": "Old"})
    same = svc.pipeline_update(actor=world.manager, pipeline=p, version=2, data={"stale_after_days": "7"})
    assert same.version == 2  # nothing changed
    entries = AuditEntry.objects.filter(target_type="crm.pipeline", action="update")
    assert [e.changes for e in entries] == [{"stale_after_days": [30, 7]}]


def test_the_last_pipeline_in_use_cannot_be_archived(world):
    assert "pipeline" in _fields_of(lambda: svc.pipeline_archive(actor=world.admin, pipeline=world.pipeline))
    other = svc.pipeline_create(actor=world.admin, data={"name_en": "Renewals"})
    svc.pipeline_archive(actor=world.admin, pipeline=world.pipeline)
    assert [p.pk for p in pipeline_list(actor=world.rep)] == [other.pk]
    # A new opportunity can no longer go there; nor into a stage of it.
    assert make_opportunity(world.rep, world.huawei).pipeline == other
    for data in ({"pipeline": world.pipeline.pk}, {"stage": world.stages["Proposal"].pk}):
        with pytest.raises(ValidationError):
            make_opportunity(world.rep, world.huawei, **data)
    assert AuditEntry.objects.filter(target_type="crm.pipeline", action="archive").count() == 1


# --- stages ------------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("kind", "given", "kept"), [("won", 50, 100), ("lost", 30, 0), ("open", 45, 45), ("open", "0", 0)]
)
def test_a_won_stage_is_100_percent_and_a_lost_one_0(world, kind, given, kept):
    s = svc.stage_create(
        actor=world.manager,
        pipeline=world.pipeline,
        data={"name_en": "X", "kind": kind, "probability": given},
    )
    s.refresh_from_db()
    assert (s.kind, s.probability) == (kind, kept)
    assert s.position == max(st.position for st in world.stages.values()) + 1


def test_stage_changes_are_audited_on_the_pipeline_too(world):
    s = svc.stage_create(
        actor=world.manager, pipeline=world.pipeline, data={"name_zh": "演示", "probability": 40}
    )
    svc.stage_update(actor=world.manager, stage=s, data={"probability": 50})
    svc.stage_update(actor=world.manager, stage=s, data={"kind": "won"})
    svc.stage_archive(actor=world.manager, stage=s)
    entries = AuditEntry.objects.filter(target_type="crm.stage", target_id=str(s.pk)).order_by("id")
    assert [e.action for e in entries] == ["create", "update", "update", "archive"]
    assert entries[1].changes == {"probability": [40, 50]}
    assert entries[2].changes == {"kind": ["open", "won"], "probability": [50, 100]}
    on_pipeline = history_for(subject_type="crm.pipeline", subject_id=world.pipeline.pk)
    assert set(entries.values_list("pk", flat=True)) <= set(on_pipeline.values_list("pk", flat=True))


@pytest.mark.parametrize(
    ("data", "field"),
    [
        ({"kind": "maybe"}, "kind"),
        ({"probability": 101}, "probability"),
        ({"name_en": "", "name_zh": ""}, "name_en"),
    ],
)
def test_bad_stage_input_is_refused(world, data, field):
    stage = world.stages["Proposal"]
    assert field in _fields_of(lambda: svc.stage_update(actor=world.admin, stage=stage, data=data))
    assert field in _fields_of(
        lambda: svc.stage_create(actor=world.admin, pipeline=world.pipeline, data={"name_en": "N", **data})
    )
    stage.refresh_from_db()
    assert (stage.name_en, stage.kind, stage.probability) == ("Proposal", "open", 60)


def test_a_pipeline_keeps_an_open_a_won_and_a_lost_stage(world):
    st = world.stages
    assert "kind" in _fields_of(lambda: svc.stage_archive(actor=world.admin, stage=st["Won"]))
    assert "kind" in _fields_of(
        lambda: svc.stage_update(actor=world.admin, stage=st["Lost"], data={"kind": "open"})
    )
    for name in ("Qualification", "Needs analysis", "Proposal"):
        svc.stage_archive(actor=world.admin, stage=st[name])
    assert "kind" in _fields_of(lambda: svc.stage_archive(actor=world.admin, stage=st["Negotiation"]))
    assert "kind" in _fields_of(
        lambda: svc.stage_update(actor=world.admin, stage=st["Negotiation"], data={"kind": "lost"})
    )
    kinds = dict(Stage.objects.filter(archived_at__isnull=True).values_list("name_en", "kind"))
    assert kinds == {"Negotiation": "open", "Won": "won", "Lost": "lost"}
    # With a second won stage, the first may go.
    svc.stage_create(actor=world.admin, pipeline=world.pipeline, data={"name_en": "Signed", "kind": "won"})
    svc.stage_archive(actor=world.admin, stage=st["Won"])
    names = [s.name_en for s in pipeline_list(actor=world.rep).get().active_stages]
    assert names == ["Negotiation", "Lost", "Signed"]


def test_a_stage_with_opportunities_keeps_its_kind_and_an_open_one_stays(world):
    st = world.stages
    o = make_opportunity(world.rep, world.huawei, amount="100")
    assert "kind" in _fields_of(
        lambda: svc.stage_update(actor=world.admin, stage=st["Qualification"], data={"kind": "won"})
    )
    assert "stage" in _fields_of(lambda: svc.stage_archive(actor=world.admin, stage=st["Qualification"]))
    # Renaming and reweighting are fine while it is used.
    s = svc.stage_update(
        actor=world.admin, stage=st["Qualification"], data={"name_en": "Lead", "probability": 5}
    )
    assert (s.name_en, s.probability, s.archived_at) == ("Lead", 5, None)
    opportunity_win(actor=world.rep, opportunity=o, version=o.version)
    # A closed opportunity still stands in its stage: the kind stays, archiving (with another won) is fine.
    assert "kind" in _fields_of(
        lambda: svc.stage_update(actor=world.admin, stage=st["Won"], data={"kind": "open"})
    )
    svc.stage_create(actor=world.admin, pipeline=world.pipeline, data={"name_en": "Signed", "kind": "won"})
    assert svc.stage_archive(actor=world.admin, stage=st["Won"]).archived_at is not None


# --- lost reasons ------------------------------------------------------------------------------------------


def test_lost_reasons_are_created_renamed_and_archived_with_their_history(world):
    r = svc.lost_reason_save(actor=world.manager, reason=None, data={"name_en": "Timing", "name_zh": "时机"})
    assert r.position == max(LostReason.objects.exclude(pk=r.pk).values_list("position", flat=True)) + 1
    r = svc.lost_reason_save(actor=world.manager, reason=r, data={"name_en": "Bad timing"})
    assert (r.name_en, r.name_zh) == ("Bad timing", "时机")
    r = svc.lost_reason_save(actor=world.manager, reason=r, data={"archived": True})
    assert r.archived_at is not None and r not in lost_reason_list(actor=world.rep)
    assert r in lost_reason_list(actor=world.rep, include_archived=True)
    svc.lost_reason_save(actor=world.manager, reason=r, data={"archived": True})  # no change: no entry
    entries = AuditEntry.objects.filter(target_type="crm.lostreason", target_id=str(r.pk)).order_by("id")
    assert [e.action for e in entries] == ["create", "update", "update"]
    assert entries[0].changes["name_zh"] == [None, "时机"]
    assert entries[1].changes == {"name_en": ["Timing", "Bad timing"]}
    assert entries[2].changes == {"archived": [False, True]}
    assert "name_en" in _fields_of(
        lambda: svc.lost_reason_save(actor=world.manager, reason=r, data={"name_en": "", "name_zh": ""})
    )


# --- who may ----------------------------------------------------------------------------------------------


@pytest.mark.parametrize("who", ["rep", "executive", "marketing"])
def test_only_pipeline_managers_set_up_sales(world, who):
    actor, st = getattr(world, who), world.stages
    calls = [
        lambda: svc.pipeline_create(actor=actor, data={"name_en": "Mine"}),
        lambda: svc.pipeline_update(actor=actor, pipeline=world.pipeline, version=1, data={"name_en": "x"}),
        lambda: svc.pipeline_archive(actor=actor, pipeline=world.pipeline),
        lambda: svc.stage_create(actor=actor, pipeline=world.pipeline, data={"name_en": "x"}),
        lambda: svc.stage_update(actor=actor, stage=st["Proposal"], data={"probability": 99}),
        lambda: svc.stage_archive(actor=actor, stage=st["Proposal"]),
        lambda: svc.lost_reason_save(actor=actor, reason=None, data={"name_en": "x"}),
        lambda: svc.lost_reason_save(actor=actor, reason=world.reason, data={"archived": True}),
    ]
    counts = _counts()
    for call in calls:
        with pytest.raises(PermissionDeniedError):
            call()
    assert _counts() == counts and _shape(world.pipeline) == _preset_shape()
    assert not AuditEntry.objects.filter(
        target_type__in=["crm.pipeline", "crm.stage", "crm.lostreason"]
    ).exists()
