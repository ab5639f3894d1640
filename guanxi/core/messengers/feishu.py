"""Feishu (飞书) custom bot: POST https://open.feishu.cn/open-apis/bot/v2/hook/TOKEN with a rich text
("post") message: `{"msg_type": "post", "content": {"post": {"zh_cn": {"title": …, "content": [[…]]}}}}`,
each paragraph a list of `{"tag": "text", "text": …}` and `{"tag": "a", "text": …, "href": …}`.

With signature verification on ("签名校验"), the body also carries `timestamp` (seconds, as text) and
`sign`: the Base64 of HMAC-SHA256 keyed with "{timestamp}\\n{secret}" over an empty message. The answer is
`{"code": 0, "msg": "success"}` (19021 when the signature is wrong; older bots answer `StatusCode`).
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import time

from guanxi.core.messengers.base import Message, SendResult, WebhookConfig, answer_error, clip, post_json

LIMIT = 4000


def sign(secret: str, timestamp_s: int) -> str:
    key = f"{timestamp_s}\n{secret}".encode()
    return base64.b64encode(hmac.new(key, b"", hashlib.sha256).digest()).decode()


def payload(message: Message, secret: str = "", *, now: float | None = None) -> dict:
    paragraphs = [[{"tag": "text", "text": clip(line, LIMIT)}] for line in message.lines()]
    if message.url:
        paragraphs.append([{"tag": "a", "text": message.link_text or message.url, "href": message.url}])
    body: dict = {
        "msg_type": "post",
        "content": {"post": {"zh_cn": {"title": clip(message.title, 300), "content": paragraphs}}},
    }
    if secret:
        timestamp = int(time.time() if now is None else now)
        body = {"timestamp": str(timestamp), "sign": sign(secret, timestamp), **body}
    return body


def send(webhook_config: WebhookConfig, message: Message) -> SendResult:
    body = payload(message, webhook_config.secret)
    result, answer = post_json(webhook_config.url, body, timeout=webhook_config.timeout)
    if result.ok:
        error = answer_error(answer, "code", "msg") or answer_error(answer, "StatusCode", "StatusMessage")
        if error:
            return SendResult(False, error, result.status)
    return result
