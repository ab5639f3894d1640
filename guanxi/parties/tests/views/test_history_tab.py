"""The History tab shows everything users changed, readably, in English and Chinese; the Timeline shows a
note once."""

import html
import re

import pytest
from django.conf import settings

from guanxi.core.models import AuditEntry
from guanxi.parties.services.bulk import parties_bulk_tag
from guanxi.parties.services.notes import note_add
from guanxi.parties.services.parties import PartyExtras, party_update
from guanxi.parties.services.tags import tag_create, tag_delete
from guanxi.parties.tests.factories import make_org

pytestmark = pytest.mark.django_db

USCC = "91350100M000100Y43"


@pytest.fixture
def org(admin_user):
    org = make_org(
        admin_user,
        "厦门海洋食品有限公司",
        phones=["13912345678", "0592 555 6666"],
        identifiers=[{"scheme": "cn_uscc", "country": "CN", "value": USCC}],
        address={
            "kind": "registered",
            "country": "CN",
            "province": "福建省",
            "city": "厦门市",
            "street": "海港路 1 号",
        },
    )
    org = party_update(
        actor=admin_user,
        party=org,
        version=org.version,
        data={},
        extras=PartyExtras(
            phones=["0592 555 6666", "13912345678"],  # the landline becomes the main number
            identifiers=[
                {"scheme": "cn_uscc", "country": "CN", "value": USCC},
                {"scheme": "vat", "country": "DE", "value": "DE136695976"},
            ],
        ),
    )
    note_add(actor=admin_user, party=org, body="Met at the Canton Fair.")
    vip = tag_create(actor=admin_user, name="VIP")
    parties_bulk_tag(actor=admin_user, ids=[org.pk], tag=vip)
    tag_delete(actor=admin_user, tag=vip)
    # An entry written before identifiers had a country and before the main phone was recorded.
    AuditEntry.objects.create(
        actor=admin_user,
        action="update",
        target_type="parties.party",
        target_id=str(org.pk),
        target_repr=org.name,
        subject_type="parties.party",
        subject_id=str(org.pk),
        changes={"identifiers": [[], [f"cn_uscc:{USCC}", "tax_id:A123"]], "phones": [["1"], ["1", "2"]]},
    )
    return org


def page_text(client, org, tab):
    content = client.get(org.get_absolute_url(), {"tab": tab}).content.decode()
    content = re.sub(r"</?(li|td|th|tr|br|div|p|ul)\b[^>]*>", " ", content)  # block ends: a space
    return html.unescape(re.sub(r"\s+", " ", re.sub(r"<[^>]+>", "", content)))


def test_the_history_reads_every_change_in_english(admin_client, org):
    text = page_text(admin_client, org, "history")
    assert "cn_uscc" not in text and "tax_id:" not in text
    assert "Address added" in text and "Street: 海港路 1 号" in text  # the address given with the new party
    assert "Main phone: 139 1234 5678 → 0592 555 6666" in text
    assert "Identifiers: added VAT number (DE): 136695976" in text
    assert "Note added" in text and "Note: Met at the Canton Fair." in text
    assert "Tags: added VIP" in text and "Tags: removed VIP" in text
    # The old entry: the scheme's name, what was added.
    assert f"Identifiers: added Unified social credit code (China): {USCC}, Tax ID: A123" in text
    assert "Phones: added 2" in text


def test_the_history_reads_every_change_in_chinese(admin_client, org):
    admin_client.cookies[settings.LANGUAGE_COOKIE_NAME] = "zh-hans"
    text = page_text(admin_client, org, "history")
    assert "cn_uscc" not in text and "added" not in text and "removed" not in text
    assert "添加地址" in text and "街道地址: 海港路 1 号" in text
    assert "主要电话: 139 1234 5678 → 0592 555 6666" in text
    assert "登记号码: 新增 增值税号（DE）：136695976" in text
    assert "添加备注" in text and "备注: Met at the Canton Fair." in text
    assert "标签: 新增 VIP" in text and "标签: 移除 VIP" in text
    assert f"登记号码: 新增 统一社会信用代码（中国）：{USCC}、税号：A123" in text


def test_the_history_marks_added_and_removed_items(admin_client, org):
    content = admin_client.get(org.get_absolute_url(), {"tab": "history"}).content.decode()
    assert 'added <span class="new">VIP</span>' in content
    assert 'removed <span class="old">VIP</span>' in content


def test_a_note_is_in_the_history_and_once_on_the_timeline(admin_client, org):
    assert "Note added" in page_text(admin_client, org, "history")
    timeline = page_text(admin_client, org, "timeline")
    assert timeline.count("Met at the Canton Fair.") == 1
    assert "Note added" not in timeline
