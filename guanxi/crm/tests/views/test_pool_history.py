"""A pool's history on its settings page: the rules per customer level are kept as codes and numbers and read in
the reader's language; entries written before, which hold English text, still show."""

import re

import pytest

from guanxi.core.models import AuditEntry
from guanxi.crm.services import pools as svc

pytestmark = pytest.mark.django_db


def _rules_line(client, pool, lang: str) -> str:
    """The history's line about the level rules (all of them, when there are several), as text."""
    client.cookies["django_language"] = lang
    response = client.get(f"/sales/settings/pools/{pool.pk}/")
    assert response.status_code == 200
    history = response.content.decode().split('class="history"', 1)[1]
    label = "按客户等级的回收规则" if lang == "zh-hans" else "Rules per customer level"
    lines = [li for li in re.findall(r"<li>(.*?)</li>", history, re.S) if label in li]
    assert lines, history
    return " | ".join(re.sub(r"<[^>]+>", "", li) for li in lines)


def test_the_level_rules_read_in_the_readers_language(world, client):
    pool = svc.pool_save(
        actor=world.manager,
        pool=None,
        data={"name_en": "East pool", "name_zh": "华东公海", "level_rules": [{"level": "a", "never": True}]},
    )
    rules = [{"level": "b", "no_activity_days": 90, "not_won_days": 365}]
    svc.pool_save(actor=world.manager, pool=pool, version=pool.version, data={"level_rules": rules})
    entry = AuditEntry.objects.filter(target_type="crm.pool", target_id=str(pool.pk)).latest("id")
    assert entry.changes["level_rules"] == [  # codes and numbers, no text
        [
            {
                "level": "a",
                "never": True,
                "no_activity_days": None,
                "no_opportunity_days": None,
                "not_won_days": None,
            }
        ],
        [
            {
                "level": "b",
                "never": False,
                "no_activity_days": 90,
                "no_opportunity_days": None,
                "not_won_days": 365,
            }
        ],
    ]
    client.force_login(world.manager)
    zh = _rules_line(client, pool, "zh-hans")
    assert "A · 重点客户（永不回收）" in zh and "B · 重要客户（90 天未跟进、365 天未成交）" in zh, zh
    assert not re.search(r"[A-Za-z]{2,}", zh.replace("A · ", "").replace("B · ", "")), zh  # no English word
    en = _rules_line(client, pool, "en")
    assert "A · key account (Never returned)" in en
    assert "B · important (90 days without a follow-up, 365 days without winning)" in en, en


def test_entries_written_before_with_english_text_still_show(world, client):
    pool = svc.pool_save(actor=world.manager, pool=None, data={"name_en": "East pool"})
    AuditEntry.objects.create(  # as the pools service wrote them before
        action="update",
        target_type="crm.pool",
        target_id=str(pool.pk),
        target_repr=str(pool),
        subject_type="crm.pool",
        subject_id=str(pool.pk),
        changes={"level_rules": [["A: never"], ["B: 90 / – / 365"]]},
    )
    client.force_login(world.manager)
    zh = _rules_line(client, pool, "zh-hans")
    assert "A: never" in zh and "B: 90 / – / 365" in zh
