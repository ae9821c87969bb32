"""The command line: the only module that prints or exits.

Exit codes: 0 nothing left to do, 1 findings remain (scan: any finding; fix: any
finding without a verified fix), 2 usage or runtime error, or a verified fix that `--apply`
could not write (one line per file, after the report), 130 Ctrl-C. Errors are one line each,
no traceback.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from enum import StrEnum
from pathlib import Path
from typing import Annotated, NoReturn

import typer
from typer.exceptions import TyperException
from rich.console import Console
from rich.progress import Progress, SpinnerColumn, TextColumn, TimeElapsedColumn

from provenfix import __version__, api, baseline, config
from provenfix.errors import ApplyError, ApplyInterrupted, ProvenFixError
from provenfix.llm.configure import ModelOptions
from provenfix.model import Report, Status
from provenfix.report import render

app = typer.Typer(add_completion=False, no_args_is_help=True, pretty_exceptions_enable=False,
                  help="Find security bugs in Python code, fix them, explain why, and prove each fix.")
# Messages carry user text (paths, model names like "openai:m:"): no emoji codes, no markup, no wrapping.
err = Console(stderr=True, highlight=False, emoji=False, soft_wrap=True)


def _show_version(value: bool) -> None:
    if value:
        typer.echo(__version__)
        raise typer.Exit(0)


@app.callback()
def _root(version: Annotated[bool, typer.Option("--version", callback=_show_version, is_eager=True,
                                                help="Print the version and exit.")] = False) -> None:
    """Find security bugs in Python code, fix them, explain why, and prove each fix."""


class ScanFormat(StrEnum):
    text = "text"
    json = "json"
    sarif = "sarif"
    markdown = "markdown"
    html = "html"


class FixFormat(StrEnum):
    text = "text"
    json = "json"
    sarif = "sarif"
    markdown = "markdown"
    html = "html"


class Engine(StrEnum):
    auto = "auto"
    builtin = "builtin"
    llm = "llm"


Paths = Annotated[list[str], typer.Argument(help="Files or folders of one project.", show_default=False)]
OutputOpt = Annotated[Path | None, typer.Option("--output", "-o", help="Write the report to FILE instead of stdout.")]
PythonOpt = Annotated[str | None, typer.Option("--python", help="Interpreter that runs the project's tests.")]
QuietOpt = Annotated[bool, typer.Option("--quiet", "-q", help="No progress and no notes on stderr; warnings and errors still show.")]
EntryOpt = Annotated[str | None, typer.Option("--entry", help="What is untrusted input: entry-points (web requests, command line, environment; the default) or public-api (also public functions' parameters: for libraries). Default: [tool.provenfix] entry.")]
BaselineOpt = Annotated[Path | None, typer.Option("--baseline", help="Only findings this baseline (from --write-baseline) does not list.")]


@app.command()
def scan(paths: Paths, format: Annotated[ScanFormat, typer.Option("--format", "-f")] = ScanFormat.text,
         output: OutputOpt = None, python: PythonOpt = None, quiet: QuietOpt = False,
         jobs: Annotated[int | None, typer.Option("--jobs", "-j", min=1, help="Processes that parse and analyse (default: all cores).")] = None,
         no_cache: Annotated[bool, typer.Option("--no-cache", help="Ignore and do not update the scan cache.")] = False,
         entry: EntryOpt = None, baseline_file: BaselineOpt = None,
         write_baseline: Annotated[Path | None, typer.Option("--write-baseline", help="Record every finding in FILE as accepted for now, and exit 0.")] = None) -> None:
    """Report security findings. Exit 0: none; 1: findings; 2: error."""
    _check_output(output)
    if baseline_file and write_baseline:
        raise ProvenFixError("give --baseline or --write-baseline, not both (--write-baseline records every finding)")
    if write_baseline:
        baseline.check_destination(write_baseline)
    accepted = baseline.load(baseline_file) if baseline_file else None
    with _progress(quiet) as progress:
        report = api.scan(paths, python=python, jobs=jobs, use_cache=not no_cache, entry=entry, baseline=accepted,
                          progress=progress)
    _emit(report, format.value, output, quiet)
    _warn(report)
    if write_baseline:
        written = baseline.Baseline.of(report.findings)
        baseline.write(written, write_baseline)
        err.print(f"provenfix: baseline of {len(written.findings)} finding(s) written to {write_baseline}", markup=False)
        raise typer.Exit(0)
    _baselined(report, baseline_file)
    open_findings = [f for f in report.findings if f.suppressed is None]
    raise typer.Exit(1 if open_findings else 0)


@app.command()
def fix(
    paths: Paths,
    engine: Annotated[Engine, typer.Option("--engine", help="auto: built-in recipes, and the model for the rest when one is configured; builtin; llm.")] = Engine.auto,
    model: Annotated[list[str] | None, typer.Option("--model", help="PROVIDER:MODEL[@URL], repeatable: a fallback chain, first first.")] = None,
    base_url: Annotated[str | None, typer.Option("--base-url", help="Endpoint of an OpenAI-compatible server (else OPENAI_BASE_URL).")] = None,
    local_only: Annotated[bool, typer.Option("--local-only", help="Refuse any model not on loopback or a trusted private host.")] = False,
    attempts: Annotated[int, typer.Option("--attempts", min=1, help="Tries per bug for the model, each after the verifier's feedback.")] = 3,
    max_tokens: Annotated[int | None, typer.Option("--max-tokens", min=1, help="Stop asking models after this many tokens in all.")] = None,
    max_cost: Annotated[float | None, typer.Option("--max-cost", min=0, help="Stop asking models after this many US dollars.")] = None,
    keep_transcripts: Annotated[bool, typer.Option("--keep-transcripts", help="Keep each model conversation in the evidence.")] = False,
    apply: Annotated[bool, typer.Option("--apply", help="Write verified patches and their proof tests.")] = False,
    format: Annotated[FixFormat, typer.Option("--format", "-f")] = FixFormat.text,
    output: OutputOpt = None,
    jobs: Annotated[int | None, typer.Option("--jobs", "-j", min=1, help="Parallel verifications (default: all cores).")] = None,
    python: PythonOpt = None,
    quiet: QuietOpt = False,
    timeout: Annotated[float, typer.Option("--timeout", min=1, help="Seconds allowed for one test run.")] = 120,
    test_timeout: Annotated[float, typer.Option("--test-timeout", min=1, help="Seconds allowed for one test.")] = 30,
    entry: EntryOpt = None,
    baseline_file: BaselineOpt = None,
    branch: Annotated[str | None, typer.Option("--branch", metavar="NAME", help="With --apply: commit each verified fix (and its proof test) on this new git branch, which is left checked out.")] = None,
    patch: Annotated[Path | None, typer.Option("--patch", metavar="FILE", help="Write every verified fix and its proof test to FILE as a unified diff (git apply FILE), with or without --apply.")] = None,
) -> None:
    """Fix findings and prove each fix. Exit 0: every finding verified-fixed (and every file a model
    was to review, reviewed); 1: some remain; 2: error."""
    options = ModelOptions(models=model or [], base_url=base_url, local_only=local_only, attempts=attempts,
                           max_tokens=max_tokens, max_cost=max_cost, keep_transcripts=keep_transcripts)
    _check_output(output)  # before the work: a report with nowhere to go would lose it
    _check_output(patch, "--patch")
    accepted = baseline.load(baseline_file) if baseline_file else None
    not_applied: list[str] = []
    with _progress(quiet) as progress:
        try:
            report = api.fix(paths, python=python, apply=apply, jobs=jobs, timeout_s=timeout,
                             per_test_timeout_s=test_timeout, engine=engine.value, models=options, progress=progress, entry=entry,
                             baseline=accepted, notice=_note(quiet),
                             branch=branch, patch=patch)
        except ApplyError as exc:  # the report is kept; the files not written are errors, after it
            report, not_applied = exc.report, exc.lines
        except ApplyInterrupted as exc:  # caught here: Typer would turn it into a bare exit code
            _interrupted(exc)
    _emit(report, format.value, output, quiet)
    _warn(report, shown_as_errors=not_applied)
    _baselined(report, baseline_file)
    for line in not_applied:
        _say_error(line)
    if not_applied:
        raise typer.Exit(2)
    open_findings = [f for f in report.findings if f.suppressed is None]
    verified = {f.finding.id for f in report.fixes if f.status is Status.VERIFIED}
    reviewed = report.models is None or report.models.complete  # a model that never answered found nothing
    raise typer.Exit(0 if reviewed and all(f.id in verified for f in open_findings) else 1)


@app.command()
def models(
    model: Annotated[list[str] | None, typer.Option("--model", help="PROVIDER:MODEL[@URL]; default: PROVENFIX_MODELS, else your config's models.")] = None,
    base_url: Annotated[str | None, typer.Option("--base-url")] = None,
    path: Annotated[Path, typer.Option("--project", help="Project whose [tool.provenfix] models to consider (only those your project-models allows).")] = Path("."),
) -> None:
    """List the configured models and check each is reachable, one line each. Exit 0: all reachable."""
    from provenfix.llm.reach import check_all

    lines, ok = check_all(model or [], base_url, path)
    sys.stdout.write("".join(f"{line}\n" for line in lines))
    raise typer.Exit(0 if ok else 1)


class BenchFormat(StrEnum):
    text = "text"
    json = "json"
    markdown = "markdown"
    html = "html"


@app.command()
def bench(
    suite: Annotated[Path, typer.Argument(help="Folder of cases (docs/cases.md).")] = Path("tests/cases"),
    format: Annotated[BenchFormat, typer.Option("--format", "-f")] = BenchFormat.text,
    output: OutputOpt = None,
    html: Annotated[Path | None, typer.Option("--html", help="Also write the HTML report with its chart.")] = None,
    jobs: Annotated[int, typer.Option("--jobs", "-j", min=1)] = 2,
    engine: Annotated[list[Engine] | None, typer.Option("--engine", help="Repeatable: one set of rows per engine (default: builtin).")] = None,
    model: Annotated[list[str] | None, typer.Option("--model", help="Repeatable: each model gets its own rows for each engine that uses one.")] = None,
    speed: Annotated[Path | None, typer.Option("--speed", help="Instead: scan speed on this tree vs Bandit and parse-only.")] = None,
    owasp: Annotated[Path | None, typer.Option("--owasp", help="Instead: score a BenchmarkPython checkout the Benchmark way, beside Bandit.")] = None,
    real: Annotated[bool, typer.Option("--real", help="Instead: findings on pinned releases of Django, SQLAlchemy, pip, ansible-core and celery.")] = False,
    packages: Annotated[str | None, typer.Option("--packages", help="With --real: only these (comma-separated).")] = None,
    cache: Annotated[Path | None, typer.Option("--cache", help="With --real: where the packages are installed (default ~/.cache/provenfix/bench-real).")] = None,
) -> None:
    """Measure: cases through the real pipeline, detection beside Bandit; or scan speed (--speed),
    OWASP BenchmarkPython (--owasp), precision on real packages (--real)."""
    from provenfix import bench as harness
    from provenfix.bench.speed import measure, render_speed

    table = "json" if format is BenchFormat.json else "markdown"
    if owasp is not None:
        from provenfix.bench.owasp import render_owasp, run_owasp

        err.print(f"provenfix: scoring {owasp} with ProvenFix and Bandit")
        _write(render_owasp(run_owasp(owasp), table), output)
        raise typer.Exit(0)
    if real:
        from provenfix.bench.real import render_real, run_real, select

        runs = run_real(select(packages), cache, progress=lambda m: err.print(f"provenfix: {m}", markup=False))
        _write(render_real(runs, table), output)
        raise typer.Exit(0)
    if speed is not None:
        err.print(f"provenfix: measuring scan speed on {speed} (parse-only, ProvenFix in one process and on every core, again unchanged, Bandit)")
        text = render_speed(measure(speed), table)
        _write(text, output)
        raise typer.Exit(0)
    if not suite.is_dir():
        raise ProvenFixError(f"{suite}: no such folder of cases")
    code = harness.main(suite, format.value, output, html, jobs, progress=lambda m: err.print(f"provenfix: {m}", markup=False),
                        echo=sys.stdout.write, engines=[e.value for e in engine or []], models=model or [])
    if html is not None:
        err.print(f"provenfix: HTML report written to {html}")
    raise typer.Exit(code)


@app.command()
def mcp() -> None:
    """Serve scan, fix (a dry run), verify (judge an agent's patch) and explain to a coding agent: MCP over stdio."""
    try:
        from provenfix.mcp_server import serve
    except ModuleNotFoundError as exc:
        if exc.name != "mcp" and not (exc.name or "").startswith("mcp."):
            raise
        raise ProvenFixError("the MCP server needs the mcp package: pip install 'provenfix[mcp]'") from None
    serve(progress=lambda message: err.print(f"provenfix: {message}", markup=False))  # stdout is the protocol's


@app.command()
def version() -> None:
    """Print the version."""
    typer.echo(__version__)


@app.command()
def init(path: Annotated[Path, typer.Argument(help="The project folder.")] = Path(".")) -> None:
    """Add ProvenFix's settings to PATH/pyproject.toml: a commented tool.provenfix section, every key at its default."""
    written = config.init(path)
    err.print(f"provenfix: [tool.provenfix] added to {written}", markup=False)


@contextmanager
def _progress(quiet: bool) -> Iterator[Callable[[str], None]]:
    """What a run is doing, on stderr: a live line on a terminal (the current step, with its counts, and
    the time so far), plain `provenfix: ...` lines in a log, nothing with --quiet."""
    if quiet:
        yield lambda _: None
        return
    if not err.is_terminal:
        yield lambda message: err.print(f"provenfix: {_one_line(message)}", markup=False)
        return
    # markup=False: steps name the project's files, which must not be read as Rich markup.
    columns = (SpinnerColumn(), TextColumn("{task.description}", markup=False), TimeElapsedColumn())
    with Progress(*columns, console=err, transient=True) as bar:
        task = bar.add_task("starting", total=None)
        # Drawn at once: steps are few, and a quick one would otherwise never be seen.
        yield lambda message: bar.update(task, description=_one_line(message), refresh=True)


def _note(quiet: bool) -> Callable[[str], None]:
    """A note that is neither progress nor a warning (e.g. "no model configured"): kept in logs, not with --quiet."""
    return (lambda _: None) if quiet else (lambda message: err.print(f"provenfix: {_one_line(message)}", markup=False))


def _emit(report: Report, fmt: str, output: Path | None, quiet: bool = False) -> None:
    color = output is None and fmt == "text" and sys.stdout.isatty()
    text = render(report, fmt, version=__version__, color=color, width=120)
    _write(text if text.endswith("\n") else text + "\n", output)
    if output is not None and not quiet:
        err.print(f"provenfix: report written to {output}", markup=False)


def _check_output(output: Path | None, option: str = "--output") -> None:
    if output is None:
        return
    if output.is_dir():
        raise ProvenFixError(f"{option} {output}: is a folder")
    if not output.parent.is_dir():
        raise ProvenFixError(f"{option} {output}: folder {output.parent} does not exist")


def _write(text: str, output: Path | None) -> None:
    if output is None:
        sys.stdout.write(text)
        return
    try:
        output.write_text(text, encoding="utf-8")
    except OSError as exc:
        raise ProvenFixError(f"--output {output}: cannot write the report ({exc.strerror or exc})") from exc


def _baselined(report: Report, baseline_file: Path | None) -> None:
    if report.baselined:
        err.print(f"provenfix: {report.baselined} finding(s) listed in {baseline_file} not shown", markup=False)


def _warn(report: Report, shown_as_errors: Sequence[str] = ()) -> None:
    for warning in report.warnings:
        if warning not in shown_as_errors:
            sys.stderr.write(f"provenfix: warning: {_one_line(warning)}\n")


def _say_error(message: str) -> None:
    sys.stderr.write(f"provenfix: error: {_one_line(message)}\n")  # one line, never wrapped


def _one_line(text: str) -> str:
    """File names in messages are the scanned project's: a newline or escape sequence in one stays visible
    as an escape instead of breaking the line or driving the terminal."""
    return "".join(c if c.isprintable() else repr(c)[1:-1] for c in text)


def _error(message: str, code: int) -> NoReturn:
    _say_error(message)
    raise SystemExit(code)


def _interrupted(exc: BaseException) -> NoReturn:
    if isinstance(exc, ApplyInterrupted):
        sys.stderr.write(f"provenfix: {_one_line(str(exc))}\n")
    else:
        sys.stderr.write("provenfix: interrupted; nothing was left half-written\n")
    raise SystemExit(130)


def _files_not_options(argv: list[str]) -> list[str]:
    """Hooks (pre-commit, editors) append file names of the scanned repository after our options: one
    named `--output=app.py` must stay a file, never become an option. A word that names an existing
    file is a file (`./` keeps the option parser off it)."""
    return [f"./{a}" if a.startswith("-") and a != "--" and os.path.isfile(a) else a for a in argv]


def main() -> None:
    try:
        # Without standalone mode the CLI library returns a typer.Exit's code instead of exiting.
        code = app(args=_files_not_options(sys.argv[1:]), standalone_mode=False)
    except typer.Exit as exc:
        raise SystemExit(exc.exit_code)
    except (typer.Abort, KeyboardInterrupt) as exc:
        _interrupted(exc)
    except ProvenFixError as exc:
        _error(str(exc), 2)
    except TyperException as exc:  # usage errors: unknown option, bad value, missing argument
        if type(exc).__name__ == "NoArgsIsHelpError":
            raise SystemExit(2)
        format_message = getattr(exc, "format_message", None)
        _error(" ".join((format_message() if format_message else str(exc)).split()), 2)
    if code == 130:  # Typer's answer to a Ctrl-C
        _interrupted(KeyboardInterrupt())
    raise SystemExit(code if isinstance(code, int) else 0)
