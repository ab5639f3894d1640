"""Test helpers for exports: a storage in a temporary folder, a small exporter, reading files back.

Use the fixtures by importing them (`# noqa: F401`) and naming them in `pytestmark` usefixtures.
"""

from __future__ import annotations

import csv
import io

import openpyxl
import pytest
from django.utils.translation import gettext

from guanxi.core import exports as registry
from guanxi.core.exceptions import PermissionDeniedError
from guanxi.core.exports import Exporter, ExportRows, export_storage


@pytest.fixture
def export_dir(settings, tmp_path):
    """Export files go to a temporary folder, not the data folder."""
    settings.STORAGES = {
        **settings.STORAGES,
        "exports": {
            "BACKEND": "django.core.files.storage.FileSystemStorage",
            "OPTIONS": {"location": tmp_path},
        },
    }
    return tmp_path


def _sample_rows(*, actor, params):
    if params.get("deny"):
        raise PermissionDeniedError()
    if params.get("crash"):
        raise RuntimeError("disk on fire")
    n = params.get("n", 3)
    return ExportRows(
        headers=["N", gettext("Name")],  # in the language of the request that asked for the job
        rows=([i, f"{actor.username} {i}"] for i in range(1, n + 1)),
        total=n,
    )


def _sample_clean(params):
    from django.core.exceptions import ValidationError

    if params.get("n", 0) < 0:
        raise ValidationError({"n": "No negative counts."})
    return params


@pytest.fixture
def sample_exporter(monkeypatch):
    """A "samples" exporter (core must work for any app's exporter): rows `N, "<username> N"`, header "N, Name"."""
    exporter = Exporter(
        key="samples",
        label="Samples",
        rows=_sample_rows,
        allowed=lambda actor: actor.is_active and not actor.username.startswith("blocked"),
        title=lambda params: f"Samples of {params.get('n', 3)}",
        clean=_sample_clean,
    )
    monkeypatch.setitem(registry._EXPORTERS, "samples", exporter)
    return exporter


def stored_files() -> list[str]:
    """Every file in the exports storage (its folders are user ids)."""
    storage = export_storage()
    folders, files = storage.listdir("")
    return sorted(files + [f"{d}/{name}" for d in folders for name in storage.listdir(d)[1]])


def read_csv(data: bytes) -> list[list[str]]:
    text = data.decode("utf-8")
    assert text.startswith("\ufeff")
    return list(csv.reader(io.StringIO(text[1:])))


def read_xlsx(data: bytes):
    """(sheet title, rows of cells) of the only sheet."""
    book = openpyxl.load_workbook(io.BytesIO(data))
    assert len(book.worksheets) == 1
    sheet = book.worksheets[0]
    return sheet.title, list(sheet.iter_rows())
