"""A local fake of the group chat robots (WeCom, DingTalk, Feishu) for tests: an http.server on 127.0.0.1 in
a thread that records each POST and answers as told — a JSON answer, an HTTP error, or nothing for a while
(a timeout). It checks DingTalk's and Feishu's signatures the way the real robots do."""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import threading
import time
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, urlsplit

import pytest


@dataclass
class Received:
    path: str
    query: dict[str, str]
    headers: dict[str, str]
    body: dict
    at: float


@dataclass
class Answer:
    status: int = 200
    body: dict = field(default_factory=lambda: {"errcode": 0, "errmsg": "ok"})
    delay: float = 0.0  # seconds before answering (longer than the client's timeout: a timeout)


def dingtalk_signature_ok(query: dict[str, str], secret: str, *, now: float | None = None) -> bool:
    """DingTalk: sign = Base64(HMAC-SHA256(key=secret, "{timestamp}\\n{secret}")), timestamp in ms, within an hour."""
    try:
        timestamp = int(query["timestamp"])
    except (KeyError, ValueError):
        return False
    if abs((now or time.time()) * 1000 - timestamp) > 3600 * 1000:
        return False
    expected = base64.b64encode(
        hmac.new(secret.encode(), f"{timestamp}\n{secret}".encode(), hashlib.sha256).digest()
    ).decode()
    return hmac.compare_digest(expected, query.get("sign", ""))


def feishu_signature_ok(body: dict, secret: str, *, now: float | None = None) -> bool:
    """Feishu: sign = Base64(HMAC-SHA256(key="{timestamp}\\n{secret}", "")), timestamp in s, within an hour."""
    try:
        timestamp = int(body["timestamp"])
    except (KeyError, ValueError, TypeError):
        return False
    if abs((now or time.time()) - timestamp) > 3600:
        return False
    key = f"{timestamp}\n{secret}".encode()
    expected = base64.b64encode(hmac.new(key, b"", hashlib.sha256).digest()).decode()
    return hmac.compare_digest(expected, str(body.get("sign", "")))


class FakeWebhookServer:
    """`server.url("/robot/send?access_token=x")`; `server.answers` is a queue of Answer (the last one repeats);
    `server.received` lists what came in. `dingtalk_secret` / `feishu_secret` switch on signature checks
    (a bad signature is answered as the robot does: 310000 / 19021)."""

    def __init__(self) -> None:
        self.received: list[Received] = []
        self.answers: list[Answer] = [Answer()]
        self.dingtalk_secret = ""
        self.feishu_secret = ""
        self._lock = threading.Lock()
        fake = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self):  # noqa: N802
                length = int(self.headers.get("Content-Length") or 0)
                raw = self.rfile.read(length)
                parts = urlsplit(self.path)
                query = {k: v[0] for k, v in parse_qs(parts.query, keep_blank_values=True).items()}
                try:
                    body = json.loads(raw.decode()) if raw else {}
                except ValueError:
                    body = {"_raw": raw.decode(errors="replace")}
                with fake._lock:
                    fake.received.append(
                        Received(parts.path, query, dict(self.headers), body, time.monotonic())
                    )
                    answer = fake.answers.pop(0) if len(fake.answers) > 1 else fake.answers[0]
                status, payload = answer.status, answer.body
                if fake.dingtalk_secret and not dingtalk_signature_ok(query, fake.dingtalk_secret):
                    status, payload = 200, {"errcode": 310000, "errmsg": "sign not match"}
                if fake.feishu_secret and not feishu_signature_ok(body, fake.feishu_secret):
                    status, payload = (
                        200,
                        {"code": 19021, "msg": "sign match fail or timestamp is not within one hour"},
                    )
                if answer.delay:
                    time.sleep(answer.delay)
                data = json.dumps(payload).encode()
                try:
                    self.send_response(status)
                    self.send_header("Content-Type", "application/json")
                    self.send_header("Content-Length", str(len(data)))
                    self.end_headers()
                    self.wfile.write(data)
                except (BrokenPipeError, ConnectionResetError):  # the client gave up (timeout)
                    pass

            def log_message(self, *args):  # quiet
                pass

        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.httpd.daemon_threads = True
        self.thread = threading.Thread(target=self.httpd.serve_forever, daemon=True)

    def url(self, path: str = "/hook") -> str:
        host, port = self.httpd.server_address[:2]
        return f"http://{host}:{port}{path}"

    def answer(self, *answers: Answer) -> None:
        self.answers = list(answers)

    def start(self) -> FakeWebhookServer:
        self.thread.start()
        return self

    def stop(self) -> None:
        self.httpd.shutdown()
        self.httpd.server_close()


@pytest.fixture
def fake_webhook():
    server = FakeWebhookServer().start()
    yield server
    server.stop()


__all__ = ["Answer", "FakeWebhookServer", "Received", "fake_webhook"]
