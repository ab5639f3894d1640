"""How an audit entry reads to a person, translated: field and choice labels, Yes/No, dates, lists as what
was added and what was removed, and the first item of a list (the main phone) when it changed.

Entries keep plain values (`{key: [old, new]}`); everything here happens when they are shown, so entries
written in older formats read well too. Core never names an app: an app says how its own keys and entries
read with `register_audit_display` in its AppConfig.ready().
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Callable
from dataclasses import dataclass, field

from django.apps import apps
from django.core.exceptions import FieldDoesNotExist
from django.db import models
from django.utils import formats, timezone
from django.utils.html import conditional_escape, format_html
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, pgettext

ANY = "*"  # registrations that hold for every kind of record


@dataclass(frozen=True)
class AuditField:
    """How one key of `changes` reads. Keys without a registration read by their model field."""

    label: object = None  # None: the model field's verbose name, else the key itself
    many: bool = False  # a list (also when an entry holds one item): "added …; removed …"
    item: Callable[[object], str] | None = None  # how one value, or one list item, reads
    main_of: str | None = None  # this key is the first item of that list ("main phone" of "phones")


@dataclass(frozen=True)
class AuditTitle:
    title: object  # what the entry says in the history's "What" column, e.g. "Note added"
    show_target: bool = True  # also name the record it touched (the address), or not (the note's text)


_FIELDS: dict[tuple[str, str], AuditField] = {}
_TITLES: dict[tuple[str, str], AuditTitle] = {}


def register_audit_display(
    target_type: str = ANY,
    *,
    fields: dict[str, AuditField] | None = None,
    titles: dict[str, AuditTitle] | None = None,
) -> None:
    """Say how the entries of one kind of record ("app.model", or ANY) read: keys and titles by action."""
    for key, spec in (fields or {}).items():
        _FIELDS[(target_type, key)] = spec
    for action, title in (titles or {}).items():
        _TITLES[(target_type, action)] = title


@dataclass
class ChangeLine:
    label: str
    old: str | None = None
    new: str | None = None
    added: list[str] = field(default_factory=list)
    removed: list[str] = field(default_factory=list)
    reordered: bool = False
    many: bool = False

    def _parts(self) -> list[tuple[str, str, str]]:
        """(message, css class, items): ("added %(items)s", "new", "0755 2878 0808")."""
        parts = []
        if self.added:
            parts.append((_("added %(items)s"), "new", _join(self.added)))
        if self.removed:
            parts.append((_("removed %(items)s"), "old", _join(self.removed)))
        if self.reordered and not parts:
            parts.append((_("order changed"), "", ""))
        return parts

    @property
    def separator(self) -> str:
        return pgettext("audit list", "; ")

    @property
    def html(self) -> str:
        """A list's change for the page: the items added in green, the removed ones struck through."""
        parts = [
            conditional_escape(message) % {"items": format_html('<span class="{}">{}</span>', css, items)}
            for message, css, items in self._parts()
        ]
        return mark_safe(conditional_escape(self.separator).join(parts))  # noqa: S308  (all escaped above)

    @property
    def text(self) -> str:
        """The whole line as plain text, e.g. "Phones: added 0755 2878 0808; removed 139 1234 5678"."""
        if self.many:
            body = self.separator.join(message % {"items": items} for message, _css, items in self._parts())
        elif self.old is None:
            body = self.new or "—"
        else:
            body = f"{self.old} → {self.new or '—'}"
        return f"{self.label}: {body}"

    def __str__(self) -> str:
        return self.text


@dataclass
class EntryTitle:
    title: str
    target: str  # the record it touched, when that is not the record whose history this is; or ""


def _join(items: list[str]) -> str:
    return pgettext("audit list", ", ").join(items)


def _model(label: str):
    try:
        return apps.get_model(label)
    except (LookupError, ValueError):
        return None


def _spec(target_type: str, name: str) -> AuditField | None:
    return _FIELDS.get((target_type, name)) or _FIELDS.get((ANY, name))


def _model_field(model, name: str):
    if model is None:
        return None
    try:
        return model._meta.get_field(name)
    except FieldDoesNotExist:
        return None


def _when(model_field, value) -> str | None:
    """An ISO date or time as the user's locale shows it (in their time zone)."""
    try:
        if isinstance(model_field, models.DateTimeField):
            moment = dt.datetime.fromisoformat(value)
            if timezone.is_aware(moment):
                moment = timezone.localtime(moment)
            return formats.date_format(moment, "SHORT_DATETIME_FORMAT")
        if isinstance(model_field, models.DateField):
            return formats.date_format(dt.date.fromisoformat(value), "SHORT_DATE_FORMAT")
    except (TypeError, ValueError):
        return None
    return None


def _value(model_field, spec: AuditField | None, value) -> str | None:
    if value is None or value == "" or value == []:
        return None
    if spec is not None and spec.item is not None:
        return spec.item(value)
    if isinstance(value, bool):
        return _("Yes") if value else _("No")
    if isinstance(value, list):
        return _join([_value(model_field, spec, v) or "—" for v in value])
    if model_field is not None and getattr(model_field, "choices", None):
        return str(dict(model_field.flatchoices).get(value, value))
    if isinstance(value, str) and model_field is not None:
        when = _when(model_field, value)
        if when is not None:
            return when
    return str(value)


def _items(value) -> list:
    if value is None or value == "":
        return []
    return list(value) if isinstance(value, list | tuple) else [value]


def _identity(value) -> str:
    return json.dumps(value, sort_keys=True, ensure_ascii=False, default=str)


def _list_line(label: str, model_field, spec, old, new) -> ChangeLine | None:
    old_items, new_items = _items(old), _items(new)
    old_keys = {_identity(v) for v in old_items}
    new_keys = {_identity(v) for v in new_items}
    added = [_value(model_field, spec, v) or "—" for v in new_items if _identity(v) not in old_keys]
    removed = [_value(model_field, spec, v) or "—" for v in old_items if _identity(v) not in new_keys]
    reordered = not added and not removed and old_items != new_items
    if not (added or removed or reordered):
        return None
    return ChangeLine(label, added=added, removed=removed, reordered=reordered, many=True)


def _main_is_news(changes: dict, list_key: str, old, new) -> bool:
    """A change of the first item says something the list line does not: the lists had more than one item
    on some side and the main one is not simply the one added in place of the one removed."""
    if old is None or new is None:
        return False
    pair = changes.get(list_key)
    if not isinstance(pair, list) or len(pair) != 2:
        return True
    return len(_items(pair[0])) > 1 or len(_items(pair[1])) > 1


def _label(model_field, spec: AuditField | None, name: str) -> str:
    if spec is not None and spec.label is not None:
        return str(spec.label)
    if model_field is not None and hasattr(model_field, "verbose_name"):
        label = str(model_field.verbose_name)
        return label[:1].upper() + label[1:]
    return name.replace("_", " ").capitalize()


def _split_key(key: str) -> tuple[str, str]:
    """A key may name what it is about: job_title@Acme (the job title at Acme), manager:li (team manager)."""
    for sep in ("@", ":"):
        name, found, qualifier = key.partition(sep)
        if found:
            return name, qualifier
    return key, ""


def change_lines(entry) -> list[ChangeLine]:
    model = _model(entry.target_type)
    changes = entry.changes or {}
    lines = []
    for key, pair in changes.items():
        old, new = (list(pair) + [None, None])[:2] if isinstance(pair, list) else (None, pair)
        name, qualifier = _split_key(key)
        spec = _spec(entry.target_type, name)
        model_field = _model_field(model, name)
        label = _label(model_field, spec, name)
        if qualifier:
            label = _("%(label)s (%(qualifier)s)") % {"label": label, "qualifier": qualifier}
        if spec is not None and spec.main_of and not _main_is_news(changes, spec.main_of, old, new):
            continue
        if (spec is not None and spec.many) or isinstance(old, list) or isinstance(new, list):
            line = _list_line(label, model_field, spec, old, new)
            # A reorder that moved the main item reads as the main item's change alone.
            main_changed = any(getattr(_spec(entry.target_type, k), "main_of", None) == name for k in changes)
            if line is not None and not (line.reordered and main_changed):
                lines.append(line)
            continue
        lines.append(ChangeLine(label, _value(model_field, spec, old), _value(model_field, spec, new)))
    return lines


def entry_title(entry) -> EntryTitle:
    """What an entry says in the "What" column: "Updated", or a title the app gave ("Note added")."""
    registered = _TITLES.get((entry.target_type, entry.action)) or _TITLES.get((ANY, entry.action))
    if registered is not None:
        title, show_target = str(registered.title), registered.show_target
    else:
        title, show_target = entry.get_action_display(), True
    is_subject = (entry.target_type, entry.target_id) == (entry.subject_type, entry.subject_id)
    return EntryTitle(title, entry.target_repr if show_target and not is_subject else "")


def _role_name(code) -> str:
    from guanxi.core.roles import role_label

    return role_label(str(code))


def _date_item(value) -> str:
    try:
        return formats.date_format(dt.date.fromisoformat(str(value)), "SHORT_DATE_FORMAT")
    except ValueError:
        return str(value)


# Keys that core's own services record and that are not model fields.
register_audit_display(
    fields={
        "archived": AuditField(gettext_lazy("Archived")),
        "password": AuditField(gettext_lazy("Password")),
        "api_token": AuditField(gettext_lazy("API token")),
        "api_token_revoked": AuditField(gettext_lazy("API token revoked")),
        "api_token_expires": AuditField(gettext_lazy("API token expires on"), item=_date_item),
    }
)
register_audit_display(
    "core.user",
    fields={
        "roles": AuditField(gettext_lazy("Roles"), many=True, item=_role_name),
        "teams": AuditField(gettext_lazy("Teams"), many=True),
    },
)
register_audit_display("core.team", fields={"manager": AuditField(gettext_lazy("Manager"))})

# Sign-in events (guanxi.core.services.logins and .sessions): who signed in from where, and why a session ended.
_SESSION_END_REASONS = {
    "user": gettext_lazy("signed out by the user"),
    "administrator": gettext_lazy("signed out by an administrator"),
    "password": gettext_lazy("the password was changed"),
    "deactivated": gettext_lazy("the account was deactivated"),
}


def _reason(value) -> str:
    return str(_SESSION_END_REASONS.get(value, value))


register_audit_display(
    fields={
        "ip_address": AuditField(gettext_lazy("IP address")),
        "browser": AuditField(gettext_lazy("Browser")),
        "wait_seconds": AuditField(gettext_lazy("Next try allowed after (seconds)")),
        "reason": AuditField(gettext_lazy("Reason"), item=_reason),
    },
)

# "Run now" on Settings → Scheduled jobs (guanxi.core.services.jobs): which job an administrator started.
register_audit_display(
    "core.periodicrun",
    fields={"job": AuditField(gettext_lazy("Job"))},
    titles={"create": AuditTitle(gettext_lazy("Scheduled job started by hand"))},
)
