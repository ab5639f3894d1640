"""What can be exported. Apps register an Exporter in their AppConfig.ready(); core runs the jobs.

Core never names an app: the parties app registers "parties", later apps register their own lists
(catalogue, quotes, purchase orders). The job model, services, task, views and file formats in core
work for every exporter. See docs/subsystems/exports.md.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from django.core.files.storage import Storage, storages

if TYPE_CHECKING:  # django-stubs-ext is a test dependency: the name exists for the type checker only
    from django_stubs_ext import StrOrPromise


@dataclass(frozen=True)
class ExportRows:
    """What an exporter yields for one job: the header row (translated), the rows, and how many there are.

    `rows` must be lazy (a generator over a queryset read in chunks): it is written to the file as it
    comes, so memory stays flat however many rows there are. Cells are str, int, Decimal or None.
    """

    headers: Sequence[str]
    rows: Iterable[Sequence[Any]]
    total: int


@dataclass(frozen=True)
class Exporter:
    key: str  # stored on the job ("parties"); never change it once jobs exist
    label: StrOrPromise  # what this exporter exports in general, translated lazily ("Parties")
    # (actor, params) -> ExportRows: only what the actor may see. Runs in the worker, in the language of
    # the request. Raises PermissionDeniedError or ValidationError (the job fails with that message).
    rows: Callable[..., ExportRows]
    allowed: Callable[[Any], bool]  # actor -> may they export this at all (checked on request and run)
    # params -> the name of what was exported ("Customers"): the sheet's and the job's title.
    title: Callable[[dict], str] | None = None
    # params -> params, raising ValidationError: refuses bad filters when the job is asked for, not later.
    clean: Callable[[dict], dict] | None = None

    def title_for(self, params: dict) -> str:
        return str(self.title(params) if self.title else self.label)


# Session flag: this user started an export in the browser, so the top bar looks for news of it (and
# stops looking, with no query per page, once nothing is left to tell).
WATCH_SESSION_KEY = "gx_exports_watch"

_EXPORTERS: dict[str, Exporter] = {}


def register_exporter(exporter: Exporter) -> None:
    _EXPORTERS[exporter.key] = exporter


def get_exporter(key: str) -> Exporter | None:
    return _EXPORTERS.get(key)


def export_storage() -> Storage:
    """Where export files are kept: the "exports" storage (settings.STORAGES; the data folder by default)."""
    return storages["exports"]
