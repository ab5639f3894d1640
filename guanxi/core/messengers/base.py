"""What every team messenger adapter shares: the message, where it goes, what came back, and one POST.

An adapter is a callable `send(webhook_config, message) -> SendResult` that never raises: a timeout, a
refused connection, an HTTP error or an error code in the answer all come back as `SendResult(ok=False)`
with a short reason, and the caller (guanxi.core.services.deliveries) decides whether to try again.
Only the standard library is used (urllib): no HTTP client package is needed for three JSON POSTs.
"""

from __future__ import annotations

import json
import urllib.error
import urllib.request
from dataclasses import dataclass, field
from typing import Protocol
from urllib.parse import urlsplit

MAX_ANSWER = 64 * 1024  # bytes read of a robot's answer (it is a small JSON object)


@dataclass(frozen=True)
class WebhookConfig:
    url: str  # the robot's webhook address, with its key or access token
    secret: str = ""  # the signing secret (DingTalk "SEC…", Feishu), if the robot has signing on
    timeout: float = 5.0  # seconds for the whole request


@dataclass(frozen=True)
class Message:
    """What is posted: already written in the webhook's language."""

    title: str
    body: str = ""
    url: str = ""  # an absolute link to the record
    link_text: str = ""  # "Open in Guanxi"
    recipients: list[str] = field(default_factory=list)  # names of the people it concerns
    recipients_label: str = ""  # "For:"

    def lines(self) -> list[str]:
        """The text lines after the title, shared by the plain text forms of every messenger."""
        out = [self.body] if self.body else []
        if self.recipients:
            out.append(f"{self.recipients_label} {', '.join(self.recipients)}".strip())
        return out


@dataclass(frozen=True)
class SendResult:
    ok: bool
    error: str = ""
    status: int | None = None  # the HTTP status, when there was an answer


class Messenger(Protocol):
    def __call__(self, webhook_config: WebhookConfig, message: Message) -> SendResult: ...


def post_json(url: str, payload: dict, *, timeout: float) -> tuple[SendResult, dict]:
    """POST `payload` as JSON. Returns (result, the answer's JSON object or {}). ok means HTTP 2xx."""
    if urlsplit(url).scheme not in ("http", "https"):  # urllib also opens file:// and ftp://
        return SendResult(False, "The webhook URL must start with https://."), {}
    data = json.dumps(payload, ensure_ascii=False).encode()
    request = urllib.request.Request(  # noqa: S310  (scheme checked above)
        url, data=data, method="POST", headers={"Content-Type": "application/json; charset=utf-8"}
    )
    try:
        with urllib.request.urlopen(request, timeout=timeout) as response:  # noqa: S310
            status, raw = response.status, response.read(MAX_ANSWER)
    except urllib.error.HTTPError as exc:
        return SendResult(False, f"HTTP {exc.code} {exc.reason}".strip(), exc.code), {}
    except TimeoutError:
        return SendResult(False, f"No answer within {timeout:g} s (timeout)."), {}
    except urllib.error.URLError as exc:
        reason = exc.reason
        if isinstance(reason, TimeoutError):
            return SendResult(False, f"No answer within {timeout:g} s (timeout)."), {}
        return SendResult(False, f"Could not connect: {reason}"), {}
    except (OSError, ValueError) as exc:  # connection reset mid-answer, a malformed URL
        return SendResult(False, f"Could not send: {exc}"), {}
    try:
        answer = json.loads(raw.decode("utf-8")) if raw else {}
    except (UnicodeDecodeError, json.JSONDecodeError):
        answer = {}
    if not isinstance(answer, dict):
        answer = {}
    return SendResult(True, "", status), answer


def clip(text: str, limit: int) -> str:
    """`text` cut to at most `limit` bytes of UTF-8 (the robots count bytes), ending with … when cut."""
    raw = text.encode()
    if len(raw) <= limit:
        return text
    return raw[: limit - 3].decode("utf-8", errors="ignore") + "…"


def answer_error(answer: dict, code_key: str, message_key: str) -> str:
    """The robot's own error ("310000 sign not match") when its answer carries a non-zero code."""
    code = answer.get(code_key, 0)
    if code in (0, None):
        return ""
    return f"{code} {answer.get(message_key, '')}".strip()
