"""The `guanxi` command and the production settings' refusal of insecure configurations."""

import os
import subprocess
import sys
import tempfile
import threading
from pathlib import Path

import pytest

from guanxi import cli
from guanxi.core.models import User

ROOT = Path(__file__).resolve().parents[2]


def _env(env_extra, tmp_path) -> dict:
    env = {
        k: v
        for k, v in os.environ.items()
        if k not in {"DATABASE_URL", "SECRET_KEY", "DEBUG", "ALLOWED_HOSTS", "GUANXI_HTTPS"}
    }
    env.update({"GUANXI_DATA_DIR": str(tmp_path), "DJANGO_SETTINGS_MODULE": "config.settings.production"})
    env.update(env_extra)
    return env


def _run(args, env_extra, tmp_path):
    """The command in a subprocess, in embedded mode (no DATABASE_URL: also in the PostgreSQL pass)."""
    return subprocess.run(
        [sys.executable, "-m", "guanxi.cli", *args],
        cwd=ROOT,
        env=_env(env_extra, tmp_path),
        capture_output=True,
        text=True,
        timeout=120,
    )


def _run_until(awaited, args, env_extra, tmp_path):
    """_run, stopped as soon as a line of its standard error contains `awaited` (or when it ends): what
    `guanxi check` does after its configuration warnings (Django's checks, which import every URL and API
    route, then the database) is most of its time. The result has what was printed until then."""
    with tempfile.TemporaryFile("w+") as stdout:
        proc = subprocess.Popen(
            [sys.executable, "-m", "guanxi.cli", *args],
            cwd=ROOT,
            env={**_env(env_extra, tmp_path), "PYTHONUNBUFFERED": "1"},  # stdout written as printed
            stdout=stdout,
            stderr=subprocess.PIPE,
            text=True,
        )
        watchdog = threading.Timer(120, proc.kill)
        watchdog.start()
        stderr = []
        try:
            with proc.stderr:
                for line in proc.stderr:
                    stderr.append(line)
                    if awaited in line:
                        break
        finally:
            watchdog.cancel()
            proc.kill()
            proc.wait()
        stdout.seek(0)
        return subprocess.CompletedProcess(args, proc.returncode, stdout.read(), "".join(stderr))


def test_version(capsys):
    assert cli.main(["version"]) == 0
    assert capsys.readouterr().out.startswith("guanxi 0.")


@pytest.mark.once
def test_production_refuses_server_mode_without_secret_key(tmp_path):
    r = _run(["check"], {"DATABASE_URL": "postgres://nobody@127.0.0.1:1/none"}, tmp_path)
    assert r.returncode == 1
    assert "SECRET_KEY is not set" in r.stderr


@pytest.mark.once
def test_production_refuses_debug_and_wildcard_hosts(tmp_path):
    r = _run(["check"], {"DEBUG": "true", "ALLOWED_HOSTS": "*"}, tmp_path)
    assert r.returncode == 1
    assert "DEBUG must be off" in r.stderr and "ALLOWED_HOSTS" in r.stderr


@pytest.mark.once
def test_embedded_mode_generates_and_keeps_a_secret_key_and_checks_the_database(tmp_path, migrate_by_copy):
    r = _run(["check"], {}, tmp_path)
    assert "Configuration: OK" in r.stdout, r.stderr
    assert "Migrations: 1" in r.stdout or "not applied" in r.stdout  # fresh database: nothing migrated yet
    key = (tmp_path / "secret_key").read_text()
    assert len(key) >= 50
    migrate_by_copy(tmp_path)  # `guanxi migrate`, run once per session (conftest.py), not 10-20 s per test
    r = _run(["check"], {}, tmp_path)
    assert r.returncode == 0, r.stdout + r.stderr
    assert "Migrations: up to date" in r.stdout
    assert (tmp_path / "secret_key").read_text() == key


@pytest.mark.django_db
@pytest.mark.usefixtures("attachments_dir")
def test_load_demo_creates_every_role_and_bilingual_parties(monkeypatch):
    from guanxi.core.roles import SHIPPED_LABELS
    from guanxi.parties import demo
    from guanxi.parties.models import Party

    monkeypatch.setitem(demo.SIZES, "small", 20)
    result = demo.load_demo(size="small", password="demo-password-1")
    assert User.objects.get(username="admin").check_password("demo-password-1")
    roles = {g for u in result["users"] for g in u.groups.values_list("name", flat=True)}
    assert roles == set(SHIPPED_LABELS) - {"administrator"}
    orgs = Party.objects.filter(kind="organization")
    assert orgs.filter(country="CN").exists() and orgs.filter(country="US").exists()
    assert orgs.filter(is_customer=True, is_supplier=True).exists()
    assert Party.objects.filter(kind="person").exists()
    assert Party.objects.get(name="华为技术有限公司").staff.get().person.name == "张伟"
    from guanxi.core.models import Notification

    told = Notification.objects.values_list("recipient__username", "title")
    assert set(told) == {
        ("wang.wei", "李娜 在 华为技术有限公司 的备注中提到了你"),  # in their language
        ("admin", "王伟 mentioned you in a note on 华为技术有限公司"),
    }
    from guanxi.core.models import Attachment

    assert sorted(Attachment.objects.values_list("content_type", flat=True)) == [
        "application/pdf",
        "image/png",
        "text/plain",
    ]
    again = demo.load_demo(size="small", password="demo-password-2")
    assert again["created"] == 0  # running it twice keeps the data and resets the passwords
    assert User.objects.get(username="wang.wei").check_password("demo-password-2")


@pytest.mark.django_db
def test_createadmin(capsys):
    assert cli.main(["createadmin", "--username", "boss", "--password", "a-long-password-1"]) == 0
    assert User.objects.get(username="boss").is_superuser
    assert cli.main(["createadmin", "--username", "boss"]) == 1


@pytest.mark.django_db
def test_createadmin_refuses_a_weak_password_with_the_validators_messages(capsys):
    """`guanxi createadmin --password 1` made an administrator whose password was "1"."""
    assert cli.main(["createadmin", "--username", "boss", "--password", "1"]) == 1
    err = capsys.readouterr().err
    assert "This password is too short" in err and "entirely numeric" in err and "Traceback" not in err
    assert not User.objects.filter(username="boss").exists()


@pytest.mark.django_db
def test_createadmin_generates_a_password_the_validators_accept(capsys):
    assert cli.main(["createadmin", "--username", "boss"]) == 0
    password = capsys.readouterr().out.split("password: ")[1].strip()
    assert User.objects.get(username="boss").check_password(password)


@pytest.mark.once
def test_serve_refuses_insecure_configuration_without_a_traceback(tmp_path):
    r = _run(["serve", "--port", "1"], {"DATABASE_URL": "postgres://nobody@127.0.0.1:1/none"}, tmp_path)
    assert r.returncode == 1
    assert "Guanxi refuses to start" in r.stderr and "Traceback" not in r.stderr


@pytest.mark.once
@pytest.mark.parametrize("module", ["config.settings.local", "config.settings.test", "config.settings.base"])
def test_serve_runs_the_production_checks_whatever_the_settings_module(tmp_path, module):
    """DJANGO_SETTINGS_MODULE=config.settings.local served with DEBUG on: the refusals lived only in
    config/settings/production.py."""
    r = _run(["serve", "--port", "1"], {"DJANGO_SETTINGS_MODULE": module, "DEBUG": "true"}, tmp_path)
    assert r.returncode == 1, r.stdout + r.stderr
    assert "Guanxi refuses to start" in r.stderr and "Traceback" not in r.stderr
    assert "does not build on config.settings.production" in r.stderr
    if module != "config.settings.test":  # the test settings turn DEBUG off themselves
        assert "DEBUG must be off" in r.stderr


@pytest.mark.once
def test_check_reports_an_insecure_configuration_under_any_settings_module(tmp_path):
    r = _run(["check"], {"DJANGO_SETTINGS_MODULE": "config.settings.local"}, tmp_path)
    assert r.returncode == 1
    assert "Configuration: FAILED" in r.stderr and "DEBUG must be off" in r.stderr


@pytest.mark.once
def test_check_warns_when_embedded_mode_serves_a_public_host_without_https(tmp_path):
    warning = "Warning: Embedded mode serves the public host(s) crm.example.com without HTTPS"
    r = _run_until(warning, ["check"], {"ALLOWED_HOSTS": "crm.example.com,localhost"}, tmp_path)
    assert "Configuration: OK" in r.stdout, r.stderr
    assert warning in r.stderr
    assert "GUANXI_HTTPS=true" in r.stderr
    # The runs without a warning run to the end: no "Warning" anywhere in what they print.
    quiet = _run(["check"], {"ALLOWED_HOSTS": "crm.example.com", "GUANXI_HTTPS": "true"}, tmp_path)
    local = _run(["check"], {}, tmp_path)
    assert "Warning" not in quiet.stderr and "Warning" not in local.stderr


@pytest.mark.once
def test_serve_checks_the_settings_as_loaded_not_only_the_production_module(tmp_path):
    """A module of one's own that imports the production settings, then turns DEBUG on."""
    (tmp_path / "site_settings.py").write_text("from config.settings.production import *\nDEBUG = True\n")
    env = {"DJANGO_SETTINGS_MODULE": "site_settings", "PYTHONPATH": str(tmp_path)}
    r = _run(["serve", "--port", "1"], env, tmp_path)
    assert r.returncode == 1, r.stdout + r.stderr
    assert "DEBUG must be off" in r.stderr and "does not build on" not in r.stderr


def test_serve_preloads_the_app_and_spreads_worker_restarts():
    """Workers restarted every ~5,000 requests, both at about the same time, each re-importing everything
    (1-1.2 s without service). Now: loaded once before forking, restarts spread over 1-1.5 x the limit."""
    argv = cli.gunicorn_argv(host="127.0.0.1", port=8000, workers=2, max_requests=10000)
    assert "--preload" in argv
    assert argv[argv.index("--max-requests") + 1] == "10000"
    assert argv[argv.index("--max-requests-jitter") + 1] == "5000"
    assert "--max-requests" not in cli.gunicorn_argv(host="127.0.0.1", port=8000, workers=2, max_requests=0)


def test_loading_before_forking_imports_the_urls_and_freezes_the_heap():
    import gc

    try:
        cli._load_everything_before_forking()
        assert "config.api" in sys.modules and "guanxi.core.views.settings" in sys.modules
        assert gc.get_freeze_count() > 0  # a worker's exit no longer walks (and copies) the whole heap
    finally:
        gc.unfreeze()


def test_demo_refuses_a_weak_password(capsys):
    assert cli.main(["demo", "--password", "1234"]) == 1
    assert "This password is too short" in capsys.readouterr().err
