"""Team messenger adapters: one interface, `send(webhook_config, message) -> SendResult`, per kind of
group chat robot. guanxi.core.services.deliveries picks the adapter by a webhook's kind."""

from __future__ import annotations

from guanxi.core.messengers import dingtalk, feishu, wecom
from guanxi.core.messengers.base import Message, Messenger, SendResult, WebhookConfig

ADAPTERS: dict[str, Messenger] = {"wecom": wecom.send, "dingtalk": dingtalk.send, "feishu": feishu.send}
SIGNED = frozenset({"dingtalk", "feishu"})  # kinds whose robots may require a signing secret


def adapter_for(kind: str) -> Messenger | None:
    return ADAPTERS.get(kind)


__all__ = ["ADAPTERS", "SIGNED", "Message", "Messenger", "SendResult", "WebhookConfig", "adapter_for"]
