"""How audit entries of core's own records read: lists as added/removed, codes by their names, dates in the
reader's locale, titles — in English and Chinese."""

from django.test import override_settings
from django.utils import translation

from guanxi.core.audit_display import change_lines, entry_title
from guanxi.core.models import AuditEntry


def entry(changes, target_type="core.user", action="update", target_id="1", subject=("core.user", "1")):
    return AuditEntry(
        action=action,
        target_type=target_type,
        target_id=target_id,
        target_repr="East",
        subject_type=subject[0],
        subject_id=subject[1],
        changes=changes,
    )


def texts(changes, language="en", **kw):
    with translation.override(language):
        return [line.text for line in change_lines(entry(changes, **kw))]


def test_roles_read_by_their_names_as_added_and_removed():
    changes = {"roles": [["sales_rep"], ["buyer", "sales_manager"]], "teams": [["East"], []]}
    assert texts(changes) == [
        "Roles: added Buyer, Sales Manager; removed Sales Representative",
        "Teams: removed East",
    ]
    assert texts(changes, "zh-hans") == ["角色: 新增 采购员、销售经理；移除 销售代表", "团队: 移除 East"]


def test_plain_fields_flags_passwords_unknown_keys_and_qualified_keys():
    changes = {"first_name": ["", "伟"], "is_active": [True, False], "password": ["***", "***"]}
    assert texts(changes) == ["First name: 伟", "Active: Yes → No", "Password: *** → ***"]
    assert texts({"some_key": [1, 2]}, target_type="gone.model") == ["Some key: 1 → 2"]
    assert texts({"manager:li": [False, True]}, target_type="core.team") == ["Manager (li): No → Yes"]
    assert texts({"manager:li": [False, True]}, "zh-hans", target_type="core.team") == ["经理（li）: 否 → 是"]


@override_settings(TIME_ZONE="Asia/Shanghai")
def test_dates_and_times_read_in_the_readers_locale_and_time_zone_not_as_iso_strings():
    joined = {"date_joined": [None, "2026-01-02T03:04:05+00:00"]}
    assert texts(joined) == ["Date joined: 2026-01-02 11:04"]
    assert texts(joined, "zh-hans") == ["加入日期: 2026年1月2日 11:04"]
    expires = {"api_token_expires": [None, "2026-03-31"]}
    assert texts(expires) == ["API token expires on: 2026-03-31"]
    assert texts(expires, "zh-hans")[0].endswith(": 2026年3月31日")


def test_titles_are_the_action_and_name_a_record_other_than_the_subject():
    with translation.override("en"):
        own = entry_title(entry({}, action="update"))
        other = entry_title(entry({}, target_type="core.team", target_id="5", action="create"))
        assert (own.title, own.target) == ("Updated", "")
        assert (other.title, other.target) == ("Created", "East")
    with translation.override("zh-hans"):
        assert entry_title(entry({}, action="update")).title == "更新"
