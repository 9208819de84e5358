"""The `banenpool` command line."""
from __future__ import annotations

import json
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
    from web import create_app
    consumer = None
    if with_worker:
        import subprocess
        consumer = subprocess.Popen([sys.executable, "-m", "banenpool.cli", "worker"])
    try:
        create_app().run(host=host, port=port, threaded=True)
    finally:
        if consumer:
            consumer.terminate()


@main.command()
@click.argument("instance", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("-o", "--output", type=click.Path(dir_okay=False, path_type=Path))
@click.option("--time-limit", default=60.0, type=float, show_default=True)
def solve(instance: Path, output: Path | None, time_limit: float) -> None:
    """Solve a banenpool-instance/1 file; progress on stderr."""
    from scheduling import solve as run
    from scheduling.io import InstanceFormatError, load_instance, solution_to_dict
    try:
        inst = load_instance(instance)
    except InstanceFormatError as exc:
        raise click.ClickException(f"{instance}: {exc}") from exc

    def progress(fraction: float, message: str) -> None:
        click.echo(f"[{fraction:5.1%}] {message}", err=True)

    solution = solution_to_dict(run(inst, time_limit=time_limit, progress=progress))
    text = json.dumps(solution, indent=2, ensure_ascii=False)
    if output:
        output.write_text(text + "\n")
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
    try:
        violations = check_solution(json.loads(instance.read_text()), json.loads(solution.read_text()))
    except (ValueError, KeyError, TypeError) as exc:
        raise click.ClickException(f"cannot read the files: {exc}") from exc
    for v in violations:
        click.echo(v.message)
    click.echo(f"{len(violations)} violation(s)", err=True)
    sys.exit(1 if violations else 0)


@main.command(context_settings={"ignore_unknown_options": True, "allow_extra_args": True})
@click.pass_context
def bench(ctx: click.Context) -> None:
    """Run the planner benchmarks and write BENCHMARKS.md (see --help of the runner)."""
    from banenpool.bench.runner import main as run
    sys.exit(run(ctx.args))


if __name__ == "__main__":
    main()
