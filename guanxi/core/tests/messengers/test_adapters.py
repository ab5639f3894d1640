"""The three messenger adapters against a local fake robot: the JSON each one posts, the signatures the
robots check, and every way a post can fail (an error code, an HTTP error, no answer in time, nothing
listening) coming back as a result, never an exception."""

from __future__ import annotations

import base64
import hashlib
import hmac
import socket
import time

import pytest

from guanxi.core.messengers import Message, WebhookConfig, adapter_for, dingtalk, feishu, wecom
from guanxi.core.messengers.base import clip
from guanxi.core.tests.fake_webhook import Answer, dingtalk_signature_ok

MESSAGE = Message(
    title="王伟 mentioned you in a note on 厦门海鑫贸易有限公司",
    body="Please call [them] today",
    url="https://crm.example.com/parties/7/?tab=timeline",
    link_text="Open in Guanxi",
    recipients=["李娜", "bob"],
    recipients_label="For:",
)


def test_wecom_posts_markdown_with_the_key_in_the_url(fake_webhook):
    result = wecom.send(WebhookConfig(fake_webhook.url("/cgi-bin/webhook/send?key=693a"), timeout=2), MESSAGE)
    assert result.ok and result.status == 200
    [got] = fake_webhook.received
    assert got.path == "/cgi-bin/webhook/send" and got.query == {"key": "693a"}
    assert got.headers["Content-Type"].startswith("application/json")
    assert got.body["msgtype"] == "markdown"
    content = got.body["markdown"]["content"]
    assert content.startswith("**王伟 mentioned you in a note on 厦门海鑫贸易有限公司**\n")
    assert "Please call ［them］ today" in content  # brackets in text cannot make a link
    assert "For: 李娜, bob" in content
    assert content.endswith("[Open in Guanxi](https://crm.example.com/parties/7/?tab=timeline)")


def test_wecom_error_code_is_a_failure(fake_webhook):
    fake_webhook.answer(Answer(body={"errcode": 93000, "errmsg": "invalid webhook url"}))
    result = wecom.send(WebhookConfig(fake_webhook.url(), timeout=2), MESSAGE)
    assert not result.ok and result.error == "93000 invalid webhook url"


def test_dingtalk_signs_the_url_as_the_robot_checks_it(fake_webhook):
    fake_webhook.dingtalk_secret = "SEC0123456789abcdef"
    config = WebhookConfig(fake_webhook.url("/robot/send?access_token=tok"), "SEC0123456789abcdef", timeout=2)
    assert dingtalk.send(config, MESSAGE).ok
    [got] = fake_webhook.received
    assert got.query["access_token"] == "tok" and dingtalk_signature_ok(got.query, "SEC0123456789abcdef")
    assert abs(int(got.query["timestamp"]) - time.time() * 1000) < 60_000  # milliseconds, now
    assert got.body["msgtype"] == "markdown"
    assert got.body["markdown"]["title"] == MESSAGE.title
    text = got.body["markdown"]["text"]
    assert text.startswith("#### 王伟") and "\n\nFor: 李娜, bob\n\n" in text
    assert text.endswith("[Open in Guanxi](https://crm.example.com/parties/7/?tab=timeline)")


def test_dingtalk_signature_matches_the_documented_recipe():
    secret, ts = "this is secret", 1_700_000_000_000
    digest = hmac.new(secret.encode(), f"{ts}\n{secret}".encode(), hashlib.sha256).digest()
    from urllib.parse import quote_plus

    assert dingtalk.sign(secret, ts) == quote_plus(base64.b64encode(digest).decode())
    url = dingtalk.signed_url("https://oapi.dingtalk.com/robot/send?access_token=x", secret, now=ts / 1000)
    assert url.startswith(f"https://oapi.dingtalk.com/robot/send?access_token=x&timestamp={ts}&sign=")
    assert dingtalk.signed_url("https://h/x", "") == "https://h/x"  # no secret: no signature


def test_dingtalk_wrong_secret_is_refused_like_the_robot_does(fake_webhook):
    fake_webhook.dingtalk_secret = "SECright"
    result = dingtalk.send(
        WebhookConfig(fake_webhook.url("/robot/send?access_token=t"), "SECwrong", 2), MESSAGE
    )
    assert not result.ok and result.error == "310000 sign not match"


def test_feishu_posts_rich_text_with_a_signature_in_the_body(fake_webhook):
    fake_webhook.feishu_secret = "feishu-secret"
    fake_webhook.answer(Answer(body={"code": 0, "msg": "success", "data": {}}))
    assert feishu.send(
        WebhookConfig(fake_webhook.url("/open-apis/bot/v2/hook/abc"), "feishu-secret", 2), MESSAGE
    ).ok
    [got] = fake_webhook.received
    body = got.body
    assert body["msg_type"] == "post" and abs(int(body["timestamp"]) - time.time()) < 60  # seconds
    post = body["content"]["post"]["zh_cn"]
    assert post["title"] == MESSAGE.title
    assert post["content"] == [
        [{"tag": "text", "text": "Please call [them] today"}],
        [{"tag": "text", "text": "For: 李娜, bob"}],
        [{"tag": "a", "text": "Open in Guanxi", "href": "https://crm.example.com/parties/7/?tab=timeline"}],
    ]


def test_feishu_signature_matches_the_documented_recipe():
    ts, secret = 1_599_360_473, "your secret"
    key = f"{ts}\n{secret}".encode()
    assert feishu.sign(secret, ts) == base64.b64encode(hmac.new(key, b"", hashlib.sha256).digest()).decode()
    unsigned = feishu.payload(MESSAGE)
    assert "sign" not in unsigned and "timestamp" not in unsigned


def test_feishu_errors_new_and_old_style(fake_webhook):
    fake_webhook.feishu_secret = "right"
    result = feishu.send(WebhookConfig(fake_webhook.url(), "wrong", 2), MESSAGE)
    assert not result.ok and result.error.startswith("19021 sign match fail")
    fake_webhook.feishu_secret = ""
    fake_webhook.answer(Answer(body={"StatusCode": 9499, "StatusMessage": "Bad Request"}))
    assert feishu.send(WebhookConfig(fake_webhook.url(), timeout=2), MESSAGE).error == "9499 Bad Request"


@pytest.mark.parametrize("kind", ["wecom", "dingtalk", "feishu"])
def test_http_errors_timeouts_and_silence_come_back_as_results(fake_webhook, kind):
    send = adapter_for(kind)
    fake_webhook.answer(Answer(status=500, body={"error": "boom"}))
    result = send(WebhookConfig(fake_webhook.url(), timeout=2), MESSAGE)
    assert not result.ok and result.status == 500 and result.error.startswith("HTTP 500")

    fake_webhook.answer(Answer(delay=1.0))
    started = time.monotonic()
    result = send(WebhookConfig(fake_webhook.url(), timeout=0.3), MESSAGE)
    assert not result.ok and "timeout" in result.error
    assert time.monotonic() - started < 0.9  # gave up at the timeout, did not wait for the answer

    with socket.socket() as s:  # a port nobody listens on
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    result = send(WebhookConfig(f"http://127.0.0.1:{port}/hook", timeout=1), MESSAGE)
    assert not result.ok and result.error.startswith("Could not connect")

    result = send(WebhookConfig("file:///etc/passwd", timeout=1), MESSAGE)
    assert not result.ok  # only http(s) is ever opened


def test_long_texts_are_cut_to_what_the_robots_take():
    assert clip("abc", 10) == "abc"
    cut = clip("汉" * 2000, 4096)  # 3 bytes each
    assert len(cut.encode()) <= 4096 and cut.endswith("…")
    long = Message(title="t", body="汉" * 3000)
    assert len(wecom.payload(long)["markdown"]["content"].encode()) <= 4096
