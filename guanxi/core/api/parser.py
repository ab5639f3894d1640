"""Request bodies are JSON, and must say so: anything else is refused with 415, not guessed at."""

from __future__ import annotations

import json

from ninja.parser import Parser


class UnsupportedMediaTypeError(Exception):
    def __init__(self, content_type: str) -> None:
        self.content_type = content_type
        super().__init__(content_type)


def is_json(content_type: str) -> bool:
    ct = (content_type or "").lower()
    return ct == "application/json" or (ct.startswith("application/") and ct.endswith("+json"))


class JsonParser(Parser):
    def parse_body(self, request):
        if not is_json(request.content_type):
            raise UnsupportedMediaTypeError(request.content_type or "")
        return json.loads(request.body)
