"""Importing leads (线索) from a CSV or XLSX file: a trade fair's list, a purchased list, another system's export.

The first row names the columns, in English or in Chinese (公司名称, 姓名, 手机, 邮箱 …); each other row is
one lead, made by the same service as a lead entered by hand (its rules and its audit entry), with the
source "Import" unless the file says another one. A row whose phone or email a lead already has is skipped
(importing the same file twice adds nothing); a person listed twice in the file is a problem of the later
line. The whole file is one transaction: when any row is wrong nothing is imported and every problem is
listed by line and column; "only check" reads and checks everything and keeps nothing.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from guanxi.core.models import User
from guanxi.core.tables import cell, column_names, header_cell
from guanxi.core.text import fold
from guanxi.crm.choices import LeadSource
from guanxi.crm.models import Lead
from guanxi.crm.services.leads import lead_create, require_changer

MAX_ROWS = 5000
MAX_ERRORS = 100
COLUMNS = [
    ("company_name", gettext_lazy("Company")),
    ("person_name", gettext_lazy("Person")),
    ("job_title", gettext_lazy("Job title")),
    ("phone", gettext_lazy("Phone")),
    ("email", gettext_lazy("Email")),
    ("wechat_id", gettext_lazy("WeChat ID")),
    ("source", gettext_lazy("Source")),
    ("campaign", gettext_lazy("Campaign")),
    ("interest", gettext_lazy("Interest")),
    ("owner", gettext_lazy("Owner")),
]
# Headers that Chinese (and other) spreadsheets commonly use for the same columns.
ALIASES = {
    "公司": "company_name",
    "公司名称": "company_name",
    "客户名称": "company_name",
    "单位名称": "company_name",
    "企业名称": "company_name",
    "organization": "company_name",
    "姓名": "person_name",
    "联系人": "person_name",
    "name": "person_name",
    "contact": "person_name",
    "职位": "job_title",
    "职务": "job_title",
    "title": "job_title",
    "手机": "phone",
    "手机号": "phone",
    "手机号码": "phone",
    "电话": "phone",
    "联系电话": "phone",
    "mobile": "phone",
    "邮箱": "email",
    "电子邮件": "email",
    "e-mail": "email",
    "微信": "wechat_id",
    "微信号": "wechat_id",
    "wechat": "wechat_id",
    "来源": "source",
    "线索来源": "source",
    "活动": "campaign",
    "市场活动": "campaign",
    "需求": "interest",
    "意向": "interest",
    "备注": "interest",
    "负责人": "owner",
}
_LABELS = dict(COLUMNS)


@dataclass
class RowError:
    line: int  # as the spreadsheet numbers it: the header is line 1
    column: str
    message: str


@dataclass
class LeadImportResult:
    created: int = 0
    skipped: int = 0  # a lead with the same phone or email exists already
    errors: list[RowError] = field(default_factory=list)
    kept: bool = False  # the leads were saved (not a check, no errors)


def header_keys(row: list) -> list[str | None]:
    names = column_names(COLUMNS, ALIASES)
    return [names.get(header_cell(c)) for c in row]


def _sources() -> dict[str, str]:
    out = {}
    for value, label in LeadSource.choices:
        out[fold(value)] = value
        for lang in ("en", "zh-hans"):
            with translation.override(lang):
                out[fold(str(label))] = value
    return out


class _Undo(Exception):
    """Rolls back a row that reading found wrong, or that is already there."""


def _owners(keys: list, body: list) -> dict[str, int]:
    """folded user name -> id, for the owners the file names (one query)."""
    if "owner" not in keys:
        return {}
    at = keys.index("owner")
    wanted = {fold(cell(r[at])) for _line, r in body if at < len(r) and cell(r[at])}
    users = User.objects.filter(is_active=True, username__in={w for w in wanted})
    return {fold(u.username): u.pk for u in users}


def _row_data(keys, row, sources: dict, owners: dict) -> tuple[dict, dict]:
    data: dict = {}
    problems: dict[str, str] = {}
    for key, raw in zip(keys, row, strict=False):
        if key is None:
            continue
        value = cell(raw)
        if key == "source":
            if value:
                source = sources.get(fold(value))
                if source is None:
                    problems[key] = _("Unknown source “%(value)s”.") % {"value": value}
                data[key] = source
        elif key == "owner":
            if value:
                owner = owners.get(fold(value))
                if owner is None:
                    problems[key] = _("No active user “%(value)s”: write their user name.") % {"value": value}
                data[key] = owner
        else:
            data[key] = value
    data["source"] = data.get("source") or LeadSource.IMPORT
    return data, problems


def _apply_row(actor, data: dict, *, undo: bool, made: set[int]) -> Lead | str | dict:
    """Make the row's lead in a savepoint: the lead, "skipped" when one with its phone or email existed
    before this import (`made`: the leads it made), or the problems the service found ({field: message})."""
    try:
        with transaction.atomic():
            lead = lead_create(actor=actor, data=data)
            same = Q(pk__in=[])
            if lead.phone_e164:
                same |= Q(phone_e164=lead.phone_e164)
            if lead.email:
                same |= Q(email=lead.email)
            if Lead.objects.filter(same).exclude(pk__in=[lead.pk, *made]).exists():
                raise _Undo("skipped")
            if undo:
                raise _Undo("")
    except _Undo as exc:
        return str(exc) or {}
    except ValidationError as exc:
        return {k: v[0] for k, v in exc.message_dict.items()}
    return lead


def lead_import(*, actor, rows: list[list], dry_run: bool = False) -> LeadImportResult:
    """Import the rows (the first one is the header). See the module docstring."""
    require_changer(actor)
    if not rows or not any(cell(c) for c in rows[0]):
        raise ValidationError({"file": _("The file has no header row.")})
    keys = header_keys(rows[0])
    if not {"company_name", "person_name"} & set(keys):
        raise ValidationError(
            {"file": _("The file needs a column for the company or the person: download the template.")}
        )
    body = [(i + 2, r) for i, r in enumerate(rows[1:]) if any(cell(c) for c in r)]
    if len(body) > MAX_ROWS:
        raise ValidationError({"file": _("At most %(n)d leads per file: split it.") % {"n": MAX_ROWS}})
    if not body:
        raise ValidationError({"file": _("The file has no leads under its header.")})
    result = LeadImportResult()
    sources, owners = _sources(), _owners(keys, body)
    seen: dict[str, int] = {}  # phone or email -> first line with it
    made: set[int] = set()
    with transaction.atomic():
        for line, row in body:
            data, problems = _row_data(keys, row, sources, owners)
            outcome = _apply_row(actor, data, undo=bool(problems), made=made)
            if isinstance(outcome, dict):
                problems = {**outcome, **problems}
            elif isinstance(outcome, Lead):
                made.add(outcome.pk)
                for column, value in (("phone", outcome.phone_e164), ("email", outcome.email)):
                    if value and value in seen:
                        problems[column] = _("Also on line %(n)d.") % {"n": seen[value]}
                    elif value:
                        seen[value] = line
                if not problems:
                    result.created += 1
            else:
                result.skipped += 1
            for column, message in problems.items():
                if len(result.errors) < MAX_ERRORS:
                    result.errors.append(RowError(line, str(_LABELS.get(column, column)), str(message)))
        if result.errors or dry_run:
            transaction.set_rollback(True)
        else:
            result.kept = True
    return result
