"""The `banenpool` command line."""
from __future__ import annotations

import json
import math
import sys
from pathlib import Path

import click

from banenpool.config import Settings


@click.group()
def main() -> None:
    """Banenpool: a shared-worker job pool."""


def _sessionmaker():
    from banenpool.db import make_engine, make_sessionmaker
    return make_sessionmaker(make_engine(Settings.from_env().database_url))


@main.command("init-db")
def init_db() -> None:
    """Create or migrate the database (Alembic)."""
    from banenpool.migrate import upgrade
    url = Settings.from_env().database_url
    upgrade(url)
    click.echo(f"database ready: {url.split('@')[-1]}")


@main.command("create-user")
@click.option("--role", required=True, type=click.Choice(["intermediary", "employer", "worker"]))
@click.option("--email", required=True)
@click.option("--password", required=True)
@click.option("--employer-id", type=int)
@click.option("--worker-id", type=int)
def create_user(role, email, password, employer_id, worker_id) -> None:
    """Create a login."""
    from banenpool.errors import DomainError
    from banenpool.principal import SYSTEM
    from banenpool.services.auth import create_user as create
    with _sessionmaker()() as session:
        try:
            user = create(session, SYSTEM, email=email, password=password, role=role,
                          employer_id=employer_id, worker_id=worker_id)
        except DomainError as exc:
            raise click.ClickException(str(exc)) from exc
        session.commit()
        click.echo(f"created {user.role} login {user.email} (id {user.id})")


@main.command()
@click.option("--reset", is_flag=True, help="drop the existing demo database first (SQLite only)")
def demo(reset: bool) -> None:
    """Load the demo pool (Twente) and print its logins."""
    from banenpool.demo import load_demo
    load_demo(Settings.from_env(), reset=reset, echo=click.echo)


@main.command()
@click.option("--host", default="127.0.0.1")
@click.option("--port", default=5000, type=int)
@click.option("--with-worker", is_flag=True, help="also run the planning job consumer")
def serve(host: str, port: int, with_worker: bool) -> None:
    """Run the web server (use gunicorn 'web:create_app()' in production)."""
    import signal

    from web import create_app
    consumer = None
    if with_worker:
        import subprocess
        consumer = subprocess.Popen([sys.executable, "-m", "banenpool.cli", "worker"])
        # stopped with SIGTERM (kill, a service manager) the server must stop its consumer too:
        # Python's default SIGTERM ends the process without running the finally below
        signal.signal(signal.SIGTERM, lambda *_: sys.exit(0))
    try:
        create_app().run(host=host, port=port, threaded=True)
    finally:
        if consumer:
            consumer.terminate()
            try:
                consumer.wait(timeout=10)
            except subprocess.TimeoutExpired:
                consumer.kill()


@main.command()
@click.argument("instance", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("-o", "--output", type=click.Path(dir_okay=False, path_type=Path))
@click.option("--time-limit", default=60.0, type=float, show_default=True, callback=lambda _c, _p, v: _seconds(v),
              help="seconds, more than 0")
def solve(instance: Path, output: Path | None, time_limit: float) -> None:
    """Solve a banenpool-instance/1 file; progress on stderr."""
    from banenpool.process_clock import process_started
    from scheduling import solve as run
    from scheduling.io import InstanceFormatError, load_instance, solution_to_dict
    from scheduling.metrics import levels_text
    started = process_started()    # the limit counts reading the file and start-up too
    try:
        inst = load_instance(_json_object(instance))
    except InstanceFormatError as exc:
        raise click.ClickException(f"{instance}: {exc}") from exc
    if output and not output.absolute().parent.is_dir():     # said now, not after the solve
        raise click.ClickException(f"{output}: its folder {output.absolute().parent} does not exist")

    def progress(fraction: float, message: str) -> None:
        click.echo(f"[{fraction:5.1%}] {message}", err=True)

    solution = solution_to_dict(run(inst, time_limit=time_limit, progress=progress,
                                         started=started))
    if solution.get("levels"):
        click.echo(f"levels: {levels_text(solution['levels'])}", err=True)
    text = json.dumps(solution, indent=2, ensure_ascii=False)
    if output:
        try:
            output.write_text(text + "\n")
        except OSError as exc:
            raise click.ClickException(f"{output}: cannot write the solution: {exc.strerror or exc}") from exc
        m = solution["metrics"]
        click.echo(f"{solution['status']}: covered {m['covered_hours']} of {m['demand_hours']} h; "
                   f"written to {output}", err=True)
    else:
        click.echo(text)


@main.command()
@click.argument("instance", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.argument("solution", type=click.Path(exists=True, dir_okay=False, path_type=Path))
def check(instance: Path, solution: Path) -> None:
    """The rules engine's verdict on a solution; exit 1 on any violation."""
    from contracts.worktime import check_solution
    from scheduling.io import InstanceFormatError, load_instance
    files = {}
    for path, load in ((instance, load_instance), (solution, _assignments)):
        try:
            files[path] = _json_object(path)
            load(files[path])           # what the check reads, each error naming the field
        except InstanceFormatError as exc:
            raise click.ClickException(f"{path}: {exc}") from exc
    violations = check_solution(files[instance], files[solution])
    for v in violations:
        click.echo(v.message)
    click.echo(f"{len(violations)} violation(s)", err=True)
    sys.exit(1 if violations else 0)


def _seconds(value: float) -> float:
    if not math.isfinite(value) or value <= 0:
        raise click.BadParameter(f"must be a number of seconds above 0, not {value}")
    return value


def _assignments(solution: dict) -> None:
    """What `check` reads of a solution: `assignments`, each naming its shift and worker (the rest of
    the format is the solver's to write; a hand-made list of assignments can be checked too)."""
    from scheduling.io import InstanceFormatError
    rows = solution.get("assignments", [])
    if not isinstance(rows, list):
        raise InstanceFormatError("solution.assignments: must be a list")
    for i, row in enumerate(rows):
        if not isinstance(row, dict):
            raise InstanceFormatError(f"solution.assignments[{i}]: must be an object")
        for key in ("shift", "worker"):
            if key not in row:
                raise InstanceFormatError(f"solution.assignments[{i}].{key}: missing")
            if isinstance(row[key], bool) or not isinstance(row[key], (str, int)):
                raise InstanceFormatError(f"solution.assignments[{i}].{key}: must be an id (a string)")


def _json_object(path: Path) -> dict:
    """The JSON object in a planning file; InstanceFormatError (without the path) when it holds none."""
    from scheduling.io import InstanceFormatError
    try:
        data = json.loads(path.read_bytes().decode("utf-8"))
    except UnicodeDecodeError as exc:
        raise InstanceFormatError(f"not UTF-8 text: {exc}") from exc
    except json.JSONDecodeError as exc:
        raise InstanceFormatError(f"not valid JSON: {exc}") from exc
    if not isinstance(data, dict):
        raise InstanceFormatError("must hold a JSON object")
    return data


@main.command("cao-diff")
@click.argument("a")
@click.argument("b")
@click.option("--on", type=click.DateTime(["%Y-%m-%d"]), help="compare the versions valid on this date")
@click.option("--lang", type=click.Choice(["nl", "en"]), default="nl", show_default=True)
def cao_diff(a: str, b: str, on, lang: str) -> None:
    """List the differences between two CAOs, topic by topic."""
    from datetime import date
    from banenpool.errors import DomainError
    from banenpool.services.caos import diff
    try:
        differences = diff(a, b, on.date() if on else date.today(), lang)
    except DomainError as exc:
        raise click.ClickException(str(exc)) from exc
    for d in differences:
        click.echo(d["message"])


@main.command("pay-preview")
@click.option("--cao", "cao_code", required=True)
@click.option("--scale")
@click.option("--birth-date", required=True, type=click.DateTime(["%Y-%m-%d"]))
@click.option("--contract-kind", type=click.Choice(["fixed", "min_max", "on_call"]), default="on_call",
              show_default=True)
@click.option("--hours-per-week", type=str)
@click.option("--start", required=True, help="ISO time with offset, e.g. 2026-03-28T22:00:00+01:00")
@click.option("--end", required=True)
@click.option("--break-minutes", type=int, default=0)
@click.option("--fixed-times/--no-fixed-times", default=True, show_default=True,
              help="the shift lies within the contract's fixed working times (else the 3-hour rule can apply)")
@click.option("--bbl", is_flag=True, help="the worker follows a BBL training (BBL minimum youth wage)")
@click.option("--lang", type=click.Choice(["nl", "en"]), default="nl", show_default=True,
              help="the language of the lines and notes")
@click.option("--json", "as_json", is_flag=True, help="print the API's JSON")
def pay_preview(cao_code, scale, birth_date, contract_kind, hours_per_week, start, end, break_minutes,
                fixed_times, bbl, lang, as_json) -> None:
    """What one shift pays under a CAO (as POST /api/v1/pay/preview)."""
    from decimal import Decimal, InvalidOperation
    from banenpool.errors import DomainError, InvalidInput
    from banenpool.services.caos import pay_preview as preview
    try:
        data = {"cao_code": cao_code, "scale": scale, "birth_date": birth_date.date(), "contract_kind": contract_kind,
                "hours_per_week": Decimal(hours_per_week) if hours_per_week else None,
                "start": _aware("--start", start), "end": _aware("--end", end), "break_minutes": break_minutes,
                "fixed_times": fixed_times, "bbl": bbl, "lang": lang}
    except InvalidOperation as exc:
        raise click.BadParameter("not a number", param_hint="--hours-per-week") from exc
    try:
        result = preview(data)
    except InvalidInput as exc:  # bad input, as the API's 422: a usage error (exit 2) naming the options
        raise click.UsageError("; ".join(f"{_option(field)}: {'; '.join(reasons)}"
                                         for field, reasons in exc.errors.items())) from exc
    except DomainError as exc:
        raise click.ClickException(str(exc)) from exc
    if as_json:
        click.echo(json.dumps(result, indent=2, ensure_ascii=False))
        return
    for line in result["lines"]:
        click.echo(f"{line['kind']:<13} {line['description']:<40} {line['hours']:>6} h × € {line['rate']:>7}"
                   f" = € {line['amount']:>8}")
    click.echo(f"{'total' if lang == 'en' else 'totaal':<54} € {result['total']:>27}")
    for note in result["notes"]:
        click.echo(f"- {note}")


def _option(field: str) -> str:
    """The pay-preview option that sends this API field: cao_code → --cao, birth_date → --birth-date."""
    return "--" + {"cao_code": "cao"}.get(field, field).replace("_", "-")


def _aware(option: str, text: str):
    from datetime import datetime
    try:
        moment = datetime.fromisoformat(text)
    except ValueError as exc:
        raise click.BadParameter(f"not an ISO time: {text!r}", param_hint=option) from exc
    if moment.tzinfo is None:
        raise click.BadParameter("needs a UTC offset, e.g. 2026-03-28T22:00:00+01:00", param_hint=option)
    return moment


@main.command(context_settings={"ignore_unknown_options": True, "allow_extra_args": True,
                                "help_option_names": []})
@click.pass_context
def bench(ctx: click.Context) -> None:
    """Run the planner benchmarks and write BENCHMARKS.md (`banenpool bench --help`: options)."""
    from banenpool.bench.runner import main as run
    sys.exit(run(ctx.args))



@main.command()
@click.option("--workers", default=1, type=click.IntRange(min=1), show_default=True,
              help="planning jobs run at the same time")
def worker(workers: int) -> None:
    """Run the job-queue consumer that solves plans (huey; BANENPOOL_QUEUE_URL)."""
    import logging
    from banenpool.queue import run_consumer
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    run_consumer(workers=workers)



@main.command("deliver-outbox")
@click.option("--limit", default=100, type=int, show_default=True, help="at most this many messages")
@click.option("--sender", "sender_spec", envvar="BANENPOOL_OUTBOX_SENDER",
              help="package.module:function that sends one message (default: the log sender)")
def deliver_outbox_command(limit: int, sender_spec: str | None) -> None:
    """Send the pending messages to workers about their schedule (the consumer does this every minute)."""
    import logging
    from banenpool.services.notifications import deliver_outbox, load_sender
    logging.basicConfig(level=logging.INFO, format="%(levelname)s %(name)s: %(message)s")
    try:
        sender = load_sender(sender_spec)
    except (ValueError, ImportError) as exc:
        raise click.ClickException(str(exc)) from exc
    with _sessionmaker()() as session:
        sent = deliver_outbox(session, sender, limit=limit)
        session.commit()
        from sqlalchemy import func, select
        from banenpool.models import OutboxMessage
        from banenpool.services.notifications import MAX_ATTEMPTS
        left = session.scalar(select(func.count(OutboxMessage.id)).where(
            OutboxMessage.sent_at.is_(None), OutboxMessage.attempts < MAX_ATTEMPTS))
    click.echo(f"sent {sent} message(s); {left} still pending")


if __name__ == "__main__":
    main()
