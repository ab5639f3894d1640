"""The `guanxi` command: serve, migrate, demo, createadmin, check, version, worker, manage."""

from __future__ import annotations

import argparse
import gc
import os
import secrets
import sys


def _setup(settings: str | None = None) -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", settings or "config.settings.production")
    import django

    django.setup()


def _refuse_insecure_configuration() -> None:
    """The production checks on the settings actually loaded, whatever DJANGO_SETTINGS_MODULE names."""
    from django.conf import settings
    from django.core.exceptions import ImproperlyConfigured

    from config.settings.security import insecure_configuration_problems

    problems = insecure_configuration_problems(settings)
    if "config.settings.production" not in sys.modules:  # local, test, base or a module of one's own
        problems.insert(
            0,
            "The settings module does not build on config.settings.production (unset DJANGO_SETTINGS_MODULE, "
            "or import config.settings.production in yours).",
        )
    if problems:
        raise ImproperlyConfigured(
            f"Guanxi refuses to start ({os.environ['DJANGO_SETTINGS_MODULE']}):\n  - "
            + "\n  - ".join(problems)
        )


def _warn_about_configuration() -> list[str]:
    from django.conf import settings

    from config.settings.security import configuration_warnings

    warnings = configuration_warnings(settings)
    for w in warnings:
        print(f"Warning: {w}", file=sys.stderr)
    return warnings


def _manage(*args: str, **options) -> None:
    from django.core.management import call_command

    call_command(*args, **options)


def cmd_version(_args) -> int:
    from guanxi import __version__

    print(f"guanxi {__version__}")
    return 0


def cmd_migrate(_args) -> int:
    _setup()
    _manage("migrate", "--noinput")
    return 0


def cmd_demo(args) -> int:
    _setup()
    from django.conf import settings

    if args.password:  # the demo users sign in with it: the same validators as everywhere else
        from django.contrib.auth.password_validation import validate_password
        from django.core.exceptions import ValidationError

        try:
            validate_password(args.password)
        except ValidationError as exc:
            for message in exc.messages:
                print(f"password: {message}", file=sys.stderr)
            return 1
    _manage("migrate", "--noinput", verbosity=0)
    from guanxi.parties.demo import load_demo

    print(f"Loading {args.size} demo data into {settings.DATABASES['default']['NAME']} …")
    result = load_demo(size=args.size, password=args.password, stdout=sys.stdout)
    from guanxi.core.services.money_demo import exchange_rates_demo

    rates = exchange_rates_demo(actor=result["admin"])
    if rates:
        print(f"  {rates} exchange rates entered (Settings → Exchange rates).")
    print(
        f"  {result['created']} parties created."
        if result["created"]
        else "  Demo parties were already there."
    )
    from guanxi.core.demo import load_demo_company

    company = load_demo_company(actor=result["admin"])
    print(
        f"  Our company: {company.name_zh} / {company.name_en}."
        if company
        else "  Our company was already there."
    )
    from guanxi.catalog.demo import load_demo_catalog

    products = load_demo_catalog(actor=result["admin"])
    print(
        f"  {products} products and services in the catalogue."
        if products
        else "  The demo catalogue was already there."
    )
    from guanxi.activities.demo import load_demo_activities

    activities = load_demo_activities()
    print(f"  {activities} activities created." if activities else "  Demo activities were already there.")
    from guanxi.crm.demo import load_demo_leads, load_demo_opportunities, load_demo_pools, load_demo_quotes

    leads = load_demo_leads()
    print(f"  {leads} leads and a web form for them." if leads else "  Demo leads were already there.")
    opportunities = load_demo_opportunities()
    quotes = load_demo_quotes()
    print(
        f"  {quotes} quotes, one accepted into a sales order."
        if quotes
        else "  Demo quotes were already there."
    )
    pooled = load_demo_pools()
    print(f"  {pooled} customers in the pools (公海)." if pooled else "  Demo pools were already there.")
    print(
        f"  {opportunities} opportunities on the pipeline board."
        if opportunities
        else "  Demo opportunities were already there."
    )
    from guanxi.procurement.demo import load_demo_purchasing
    from guanxi.procurement.demo_sourcing import load_demo_sourcing
    from guanxi.suppliers.demo import load_demo_bank_accounts, load_demo_documents
    from guanxi.suppliers.demo_qualification import load_demo_qualification

    for load, done, again in (
        (load_demo_bank_accounts, "{} supplier bank accounts proposed, one waiting for approval.", "bank accounts"),
        (load_demo_documents, "{} supplier qualification documents, one ISO certificate expiring soon.",
         "supplier documents"),
        (load_demo_qualification, "A supplier questionnaire, what each category requires, {} qualification reviews "
         "(one waiting).", "supplier qualification"),
        (load_demo_purchasing, "{} purchase orders (one waiting for approval) and the suppliers' prices.",
         "purchase orders"),
        (load_demo_sourcing, "{} requests for quotation: one awarded, one open with sealed quotes.",
         "requests for quotation"),
    ):  # fmt: skip
        made = load()
        print(f"  {done.format(made)}" if made else f"  Demo {again} were already there.")
    from guanxi.parties.services.duplicate_scan import duplicates_refresh

    print(f"  {duplicates_refresh()} suggested duplicates (the nightly scan, run once now).")
    print("\nGuanxi demo is ready. Log in at http://127.0.0.1:8000 with:")
    print(f"    username: admin    password: {result['password']}    (Administrator)")
    print("  The other demo users have the same password:")
    for u in result["users"]:
        roles = ", ".join(u.groups.values_list("name", flat=True))
        teams = ", ".join(u.teams.values_list("name", flat=True))
        print(f"    {u.username:<12} {roles:<20} {teams}")
    return 0


def cmd_createadmin(args) -> int:
    _setup()
    from django.core.exceptions import ValidationError

    from guanxi.core.models import User
    from guanxi.core.services.users import SYSTEM, user_create

    password = args.password or secrets.token_urlsafe(12)
    if User.objects.filter(username=args.username).exists():
        print(f"A user named {args.username!r} already exists.", file=sys.stderr)
        return 1
    try:
        user_create(
            actor=SYSTEM, username=args.username, password=password, email=args.email or "", is_superuser=True
        )
    except ValidationError as exc:  # the password validators' (or the username's) messages, no traceback
        for field, messages in exc.message_dict.items():
            for message in messages:
                print(f"{field}: {message}", file=sys.stderr)
        return 1
    print(f"Administrator created. username: {args.username}  password: {password}")
    return 0


def cmd_check(_args) -> int:
    try:
        _setup()
    except Exception as exc:  # ImproperlyConfigured and friends: say why, do not trace
        print(f"Configuration: FAILED\n{exc}", file=sys.stderr)
        return 1
    from django.conf import settings
    from django.core.management import call_command
    from django.db import connection
    from django.db.migrations.executor import MigrationExecutor

    try:
        _refuse_insecure_configuration()
    except Exception as exc:  # noqa: BLE001
        print(f"Configuration: FAILED\n{exc}", file=sys.stderr)
        return 1
    ok = True
    print(f"Configuration: OK ({os.environ['DJANGO_SETTINGS_MODULE']})")
    _warn_about_configuration()
    try:
        call_command("check", "--deploy" if not settings.EMBEDDED else "--fail-level=ERROR", verbosity=0)
    except Exception as exc:  # noqa: BLE001
        print(f"Django checks: {exc}")
        ok = False
    try:
        with connection.cursor() as cur:
            cur.execute("SELECT 1")
        print(f"Database: OK ({connection.vendor}, {settings.DATABASES['default']['NAME']})")
        pending = MigrationExecutor(connection).migration_plan(
            MigrationExecutor(connection).loader.graph.leaf_nodes()
        )
        if pending:
            print(f"Migrations: {len(pending)} not applied — run `guanxi migrate`")
            ok = False
        else:
            print("Migrations: up to date")
            _check_worker()
    except Exception as exc:  # noqa: BLE001
        print(f"Database: FAILED ({exc})")
        ok = False
    return 0 if ok else 1


def _check_worker() -> None:
    """Whether a worker has run lately (a warning when none has), and the periodic jobs' last and next runs."""
    from guanxi.core.jobs_report import job_lines, worker_lines

    try:
        _alive, lines = worker_lines()
        lines += job_lines()
    except Exception as exc:  # noqa: BLE001  (a report, not a check: say why it is missing)
        lines = [f"Worker: could not be checked ({exc})"]
    for line in lines:
        print(line)


def gunicorn_argv(*, host: str, port: int, workers: int, max_requests: int) -> list[str]:
    """How `guanxi serve` runs gunicorn (bench/restarts.py measures it).

    --preload loads Django, the URLconf and the API in the master, once: a worker that restarts is a
    fork, ready in milliseconds, instead of an import of everything (1-3 s on 2 busy cores, during
    which its share of requests waited). Workers still restart after max_requests (a guard against
    slow leaks), each after its own number between max_requests and 1.5 x max_requests, so that they
    do not all restart at about the same moment.
    """
    argv = [
        "gunicorn",
        "config.wsgi:application",
        "--bind",
        f"{host}:{port}",
        "--workers",
        str(workers),
        "--access-logfile",
        "-",
        "--timeout",
        "60",
        "--preload",
    ]
    if max_requests > 0:
        argv += ["--max-requests", str(max_requests), "--max-requests-jitter", str(max_requests // 2)]
    return argv


def _load_everything_before_forking() -> None:
    """What a new worker would otherwise do on its first requests: import the URLconf, the API and every
    view, compile every template, read the translation catalogs. No database connection survives."""
    from django.conf import settings
    from django.db import connections
    from django.template import engines
    from django.template.utils import get_app_template_dirs
    from django.urls import get_resolver
    from django.utils import translation

    get_resolver().url_patterns  # noqa: B018
    engine = engines["django"]
    for folder in get_app_template_dirs("templates"):
        for path in folder.rglob("*.html"):
            engine.get_template(path.relative_to(folder).as_posix())
    for code, _name in settings.LANGUAGES:
        with translation.override(code):
            translation.gettext("Log in")
    connections.close_all()
    # Everything loaded so far lives as long as the server: keep it out of the garbage collector's reach.
    # Otherwise the first collection in a worker, and above all the worker's exit at a restart, walk the
    # whole inherited heap and copy every page of it (copy-on-write): measured 1.8 s per exit on two busy
    # cores, during which that worker serves nobody; 0.3 s with the heap frozen.
    gc.collect()
    gc.freeze()


def cmd_serve(args) -> int:
    _setup()  # fail fast, with the reason, on an insecure configuration
    _refuse_insecure_configuration()  # also when DJANGO_SETTINGS_MODULE is not the production module
    _warn_about_configuration()
    _load_everything_before_forking()
    workers = args.workers or int(os.environ.get("WEB_CONCURRENCY", "2"))
    argv = gunicorn_argv(host=args.host, port=args.port, workers=workers, max_requests=args.max_requests)
    print(f"Serving Guanxi at http://{args.host}:{args.port} with {workers} workers (Ctrl+C stops)")
    from gunicorn.app.wsgiapp import run

    sys.argv = argv
    run()
    return 0


def cmd_worker(args) -> int:
    _setup()
    from guanxi.core.worker import run_worker

    run_worker(
        run_tasks=not args.scheduler_only,
        run_scheduler=not args.no_scheduler,
        queue_name=args.queue_name,
        stdout=sys.stdout,
    )
    return 0


def cmd_manage(args) -> int:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.production")
    from django.core.management import execute_from_command_line

    execute_from_command_line(["guanxi manage", *args.rest])
    return 0


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(prog="guanxi", description="Guanxi (关系): integrated CRM + SRM")
    sub = p.add_subparsers(dest="command", required=True)
    s = sub.add_parser("serve", help="run the production web server (gunicorn, static files by whitenoise)")
    s.add_argument("--host", default=os.environ.get("GUANXI_HOST", "127.0.0.1"))
    s.add_argument("--port", type=int, default=int(os.environ.get("GUANXI_PORT", "8000")))
    s.add_argument("--workers", type=int, default=0, help="worker processes (default: $WEB_CONCURRENCY or 2)")
    s.add_argument(
        "--max-requests",
        type=int,
        default=int(os.environ.get("GUANXI_MAX_REQUESTS", "10000")),
        help="restart a worker after this many requests, plus up to half as many more (0: never)",
    )
    s.set_defaults(func=cmd_serve)
    sub.add_parser("migrate", help="create or update the database tables").set_defaults(func=cmd_migrate)
    d = sub.add_parser("demo", help="migrate and load bilingual demo data; prints the logins")
    d.add_argument("--size", choices=["small", "large"], default="small")
    d.add_argument("--password", help="password for the demo users (default: a new random one)")
    d.set_defaults(func=cmd_demo)
    a = sub.add_parser("createadmin", help="create an administrator")
    a.add_argument("--username", default="admin")
    a.add_argument("--email")
    a.add_argument("--password", help="default: a new random one, printed")
    a.set_defaults(func=cmd_createadmin)
    sub.add_parser("check", help="check the configuration and the database").set_defaults(func=cmd_check)
    sub.add_parser("version", help="print the version").set_defaults(func=cmd_version)
    w = sub.add_parser("worker", help="run background tasks and the periodic jobs' scheduler (Ctrl+C stops)")
    only = w.add_mutually_exclusive_group()
    only.add_argument("--no-scheduler", action="store_true", help="run tasks only, queue no periodic jobs")
    only.add_argument("--scheduler-only", action="store_true", help="queue periodic jobs only, run no tasks")
    w.add_argument("--queue-name", default="default", help="task queues to run, comma-separated, or '*'")
    w.set_defaults(func=cmd_worker)
    m = sub.add_parser("manage", help="run a Django management command")
    m.add_argument("rest", nargs=argparse.REMAINDER)
    m.set_defaults(func=cmd_manage)
    args = p.parse_args(argv)
    from django.core.exceptions import ImproperlyConfigured

    try:
        return args.func(args)
    except ImproperlyConfigured as exc:  # an insecure or broken configuration: say why, no traceback
        print(exc, file=sys.stderr)
        return 1


if __name__ == "__main__":
    sys.exit(main())
