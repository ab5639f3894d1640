"""WeCom (企业微信) group robot: POST https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=KEY with a
markdown message (`{"msgtype": "markdown", "markdown": {"content": …}}`, at most 4096 bytes). The key in
the URL is the only credential (no signing). The answer is `{"errcode": 0, "errmsg": "ok"}`."""

from __future__ import annotations

from guanxi.core.messengers.base import Message, SendResult, WebhookConfig, answer_error, clip, post_json

LIMIT = 4096


def _escape(text: str) -> str:
    return text.replace("[", "［").replace("]", "］")  # keeps names with brackets from becoming links


def payload(message: Message) -> dict:
    parts = [f"**{_escape(message.title)}**", *(_escape(line) for line in message.lines())]
    if message.url:
        parts.append(f"[{message.link_text or message.url}]({message.url})")
    return {"msgtype": "markdown", "markdown": {"content": clip("\n".join(parts), LIMIT)}}


def send(webhook_config: WebhookConfig, message: Message) -> SendResult:
    result, answer = post_json(webhook_config.url, payload(message), timeout=webhook_config.timeout)
    if result.ok and (error := answer_error(answer, "errcode", "errmsg")):
        return SendResult(False, error, result.status)
    return result
