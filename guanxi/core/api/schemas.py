"""Base shapes for API input: a field the schema does not know is refused (422 naming it), never ignored,
so a client's typo is not a silent no-op."""

from __future__ import annotations

from ninja import Schema
from pydantic import ConfigDict


class InputSchema(Schema):
    model_config = ConfigDict(extra="forbid")
