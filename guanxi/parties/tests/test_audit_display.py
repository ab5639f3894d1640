"""How a party's history entries read, in English and Chinese, for entries written today and for the
formats older entries already in databases use (identifiers as "cn_uscc:…" strings, whole lists, one item)."""

import pytest
from django.utils import translation

from guanxi.core.audit_display import change_lines, entry_title
from guanxi.core.models import AuditEntry

USCC = "91350100M000100Y43"


def entry(changes, target_type="parties.party", action="update", target_id="1", subject_id="1", repr_=""):
    return AuditEntry(
        action=action,
        target_type=target_type,
        target_id=target_id,
        target_repr=repr_,
        subject_type="parties.party",
        subject_id=subject_id,
        changes=changes,
    )


def texts(changes, language="en", **kw):
    with translation.override(language):
        return [line.text for line in change_lines(entry(changes, **kw))]


def test_identifiers_read_by_their_scheme_and_the_country_for_vat():
    new = [
        {"scheme": "cn_uscc", "country": "CN", "value": USCC},
        {"scheme": "vat", "country": "DE", "value": "DE136695976"},
    ]
    assert texts({"identifiers": [[], new]}) == [
        "Identifiers: added Unified social credit code (China): 91350100M000100Y43, "
        "VAT number (DE): DE136695976"
    ]
    assert texts({"identifiers": [[], new]}, "zh-hans") == [
        "登记号码: 新增 统一社会信用代码（中国）：91350100M000100Y43、增值税号（DE）：DE136695976"
    ]


def test_identifiers_in_the_old_scheme_colon_value_format_read_the_same_way():
    old = {"identifiers": [[f"cn_uscc:{USCC}", "tax_id:123"], [f"cn_uscc:{USCC}", "vat:FR40303265045"]]}
    [line] = texts(old)
    assert line == "Identifiers: added VAT number: FR40303265045; removed Tax ID: 123"
    assert "cn_uscc" not in line and "vat:" not in line
    assert texts(old, "zh-hans") == ["登记号码: 新增 增值税号：FR40303265045；移除 税号：123"]


def test_lists_say_what_was_added_and_what_was_removed():
    changes = {"phones": [["139 1234 5678", "010 6552 9988"], ["0755 2878 0808", "010 6552 9988"]]}
    assert texts(changes) == ["Phones: added 0755 2878 0808; removed 139 1234 5678"]
    assert texts(changes, "zh-hans") == ["电话: 新增 0755 2878 0808；移除 139 1234 5678"]


@pytest.mark.parametrize(
    "changes, english, chinese",
    [
        ({"tags": [None, "VIP"]}, "Tags: added VIP", "标签: 新增 VIP"),  # bulk tagging
        ({"tags": ["VIP", None]}, "Tags: removed VIP", "标签: 移除 VIP"),  # a deleted tag
        ({"contacts": [None, "王伟"]}, "Contacts: added 王伟", "联系人: 新增 王伟"),
        ({"organizations": ["Acme", None]}, "Organizations: removed Acme", "企业: 移除 Acme"),
        ({"tags": [[], ["A", "B"]]}, "Tags: added A, B", "标签: 新增 A、B"),
    ],
)
def test_one_item_entries_of_links_and_bulk_actions_read_as_added_or_removed(changes, english, chinese):
    assert texts(changes) == [english]
    assert texts(changes, "zh-hans") == [chinese]


def test_a_new_main_phone_reads_as_such_and_the_reorder_is_not_said_twice():
    changes = {
        "phones": [["139 1234 5678", "0755 2878 0808"], ["0755 2878 0808", "139 1234 5678"]],
        "main_phone": ["139 1234 5678", "0755 2878 0808"],
    }
    assert texts(changes) == ["Main phone: 139 1234 5678 → 0755 2878 0808"]
    assert texts(changes, "zh-hans") == ["主要电话: 139 1234 5678 → 0755 2878 0808"]


def test_a_main_phone_implied_by_the_list_is_not_repeated():
    replaced = {
        "phones": [["139 1234 5678"], ["0755 2878 0808"]],
        "main_phone": ["139 1234 5678", "0755 2878 0808"],
    }
    assert texts(replaced) == ["Phones: added 0755 2878 0808; removed 139 1234 5678"]
    cleared = {"emails": [["a@acme.example.cn"], []], "main_email": ["a@acme.example.cn", None]}
    assert texts(cleared) == ["Emails: removed a@acme.example.cn"]
    added_first = {
        "phones": [["010 6552 9988"], ["0755 2878 0808", "010 6552 9988"]],
        "main_phone": ["010 6552 9988", "0755 2878 0808"],
    }
    assert texts(added_first) == [
        "Phones: added 0755 2878 0808",
        "Main phone: 010 6552 9988 → 0755 2878 0808",
    ]


def test_an_old_sorted_list_that_only_changed_order_says_so():
    assert texts({"phones": [["1", "2", "3"], ["1", "3", "2"]]}) == ["Phones: order changed"]
    assert texts({"phones": [["1", "2", "3"], ["1", "3", "2"]]}, "zh-hans") == ["电话: 顺序已调整"]


def test_choices_flags_people_job_titles_and_archiving_read_by_their_labels():
    changes = {
        "customer_status": ["prospect", "active"],
        "is_supplier": [False, True],
        "owner": ["王伟", "李娜"],
        "job_title@Acme": ["", "采购经理"],
        "archived": [False, True],
    }
    assert texts(changes) == [
        "Customer status: Prospect → Active",
        "Supplier: No → Yes",
        "Owner: 王伟 → 李娜",
        "Job title (Acme): 采购经理",
        "Archived: No → Yes",
    ]
    assert texts(changes, "zh-hans") == [
        "客户状态: 潜在客户 → 活跃",
        "供应商: 否 → 是",
        "负责人: 王伟 → 李娜",
        "职务（Acme）: 采购经理",
        "已归档: 否 → 是",
    ]


def test_a_note_entry_is_titled_note_added_and_shows_its_text_once():
    note = entry(
        {"body": [None, "First call"]},
        target_type="parties.partynote",
        action="create",
        target_id="7",
        repr_="First call",
    )
    with translation.override("en"):
        title = entry_title(note)
        assert (title.title, title.target) == ("Note added", "")
        assert [line.text for line in change_lines(note)] == ["Note: First call"]
    with translation.override("zh-hans"):
        assert entry_title(note).title == "添加备注"
        assert [line.text for line in change_lines(note)] == ["备注: First call"]


def test_an_address_entry_names_the_address():
    address = entry(
        {"street": [None, "坂田"]},
        target_type="parties.address",
        action="create",
        target_id="9",
        repr_="坂田, 深圳市",
    )
    with translation.override("en"):
        assert (entry_title(address).title, entry_title(address).target) == ("Address added", "坂田, 深圳市")
    with translation.override("zh-hans"):
        assert entry_title(address).title == "添加地址"


def test_the_list_line_escapes_what_users_typed():
    [line] = change_lines(entry({"tags": [[], ["<b>x</b>"]]}))
    assert line.html == 'added <span class="new">&lt;b&gt;x&lt;/b&gt;</span>'
