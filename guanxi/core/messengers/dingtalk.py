"""DingTalk (钉钉) custom robot: POST https://oapi.dingtalk.com/robot/send?access_token=TOKEN with a
markdown message (`{"msgtype": "markdown", "markdown": {"title": …, "text": …}}`).

With signing on ("加签"), the URL also carries `timestamp` (milliseconds) and `sign`: the Base64 of
HMAC-SHA256 over "{timestamp}\\n{secret}" keyed with the secret, URL-encoded. The answer is
`{"errcode": 0, "errmsg": "ok"}` (HTTP 200 even for errors, e.g. 310000 when the signature is wrong).
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import time
from urllib.parse import quote_plus

from guanxi.core.messengers.base import Message, SendResult, WebhookConfig, answer_error, clip, post_json

LIMIT = 5000


def sign(secret: str, timestamp_ms: int) -> str:
    digest = hmac.new(secret.encode(), f"{timestamp_ms}\n{secret}".encode(), hashlib.sha256).digest()
    return quote_plus(base64.b64encode(digest).decode())


def signed_url(url: str, secret: str, *, now: float | None = None) -> str:
    if not secret:
        return url
    timestamp = int((time.time() if now is None else now) * 1000)
    joiner = "&" if "?" in url else "?"
    return f"{url}{joiner}timestamp={timestamp}&sign={sign(secret, timestamp)}"


def payload(message: Message) -> dict:
    parts = [f"#### {message.title}", *message.lines()]
    if message.url:
        parts.append(f"[{message.link_text or message.url}]({message.url})")
    text = "\n\n".join(parts)  # DingTalk's markdown needs a blank line to break a line
    return {"msgtype": "markdown", "markdown": {"title": clip(message.title, 100), "text": clip(text, LIMIT)}}


def send(webhook_config: WebhookConfig, message: Message) -> SendResult:
    url = signed_url(webhook_config.url, webhook_config.secret)
    result, answer = post_json(url, payload(message), timeout=webhook_config.timeout)
    if result.ok and (error := answer_error(answer, "errcode", "errmsg")):
        return SendResult(False, error, result.status)
    return result
