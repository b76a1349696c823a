"""`tcgc fill SPEC --agent PROVIDER`: ask an agent for the effects the grammar can't parse, check each answer, and
write the accepted ones to the spec's fills file; `--review` / `--accept-all` mark fills as reviewed by a person
(docs/fill.md). Exit 0: every text asked for was filled (or nothing was left); 1: some were not; 2: bad input or an
agent that can't be used."""

from __future__ import annotations

from pathlib import Path

import click

from ..diagnostics import Diagnostic, SpecError, display_path, plural


def _price(value: str | None) -> tuple[float, float] | None:
    if value is None:
        return None
    parts = value.split(",")
    try:
        nums = [float(p) for p in parts]
    except ValueError:
        raise click.BadParameter("give the price per million tokens: P, or PROMPT,COMPLETION (e.g. 0.15,0.60)")
    if len(nums) not in (1, 2) or any(n < 0 for n in nums):
        raise click.BadParameter("give the price per million tokens: P, or PROMPT,COMPLETION (e.g. 0.15,0.60)")
    return (nums[0], nums[-1])


def fills_location(loaded, option: str | None) -> Path:
    """The fills file: --fills, else the spec's `fills:`, else fills.yaml beside the spec."""
    if option:
        return Path(option)
    if loaded.spec.fills:
        return loaded.path.parent / loaded.spec.fills
    return loaded.path.parent / "fills.yaml"


def _open_fills(loaded, path: Path):
    from ..fill.store import FillSet, load_fills

    if loaded.fills is not None and loaded.fills.path and Path(loaded.fills.path).resolve() == path.resolve():
        return loaded.fills
    return load_fills(path) if path.is_file() else FillSet([], path)


@click.command("fill")
@click.argument("spec", type=click.Path(dir_okay=False))
@click.option("--agent", metavar="PROVIDER",
              help="command:ARGV (prompt on stdin, answer on stdout), openai:BASE_URL (chat completions) or "
                   "replay:FILE (recorded answers).")
@click.option("--attempts", type=click.IntRange(1, 20), default=3, show_default=True,
              help="Answers asked for per text; each rejection is fed back with its reason.")
@click.option("--model", help="Model name for openai: (default: $TCGC_MODEL or $OPENAI_MODEL).")
@click.option("--api-key", envvar="TCGC_API_KEY", show_envvar=True,
              help="API key for openai: (default: $TCGC_API_KEY, then $OPENAI_API_KEY). Prefer the variable.")
@click.option("--timeout", type=click.FloatRange(0.1), default=120.0, show_default=True,
              help="Seconds to wait for one answer.")
@click.option("--retries", type=click.IntRange(0, 10), default=2, show_default=True,
              help="openai: tries again after a timeout, a lost connection, 429 or 5xx.")
@click.option("--price", metavar="P[,Q]", help="Price per million prompt (and completion) tokens: the summary "
                                               "shows the cost.")
@click.option("--only", multiple=True, metavar="TEXT", help="Only the texts that contain TEXT (repeatable).")
@click.option("--jax", "jax_level", type=click.Choice(["games", "lowering", "off"]), default="games",
              show_default=True, help="The JAX side of the check: the lowering and lockstep games on both engines; "
                                      "the lowering only; or neither (what is not run is recorded as skipped).")
@click.option("--games", type=click.IntRange(1, 256), default=8, show_default=True,
              help="Lockstep games per checked fill.")
@click.option("--fills", "fills_opt", type=click.Path(dir_okay=False),
              help="The fills file (default: the spec's `fills:`, else fills.yaml beside the spec).")
@click.option("--log", "log_opt", type=click.Path(dir_okay=False),
              help="Where every answer and its outcome is appended (default: FILLS.log.jsonl beside the fills).")
@click.option("--record", type=click.Path(dir_okay=False), help="Save every answer as a replay file.")
@click.option("--dry-run", is_flag=True, help="List the texts it would ask for; ask nothing, write nothing.")
@click.option("--review", is_flag=True, help="Show each unreviewed fill beside its card text and mark it reviewed.")
@click.option("--accept-all", is_flag=True, help="Mark every unreviewed fill as reviewed without asking.")
def command(spec: str, agent: str | None, attempts: int, model: str | None, api_key: str | None, timeout: float,
            retries: int, price: str | None, only: tuple[str, ...], jax_level: str, games: int, fills_opt: str | None,
            log_opt: str | None, record: str | None, dry_run: bool, review: bool, accept_all: bool) -> None:
    """Fill SPEC's unresolved effect texts with checked IR from an agent (or review the fills)."""
    from ..spec import load_spec

    prices = _price(price)
    loaded = load_spec(spec)
    path = fills_location(loaded, fills_opt)
    fills = _open_fills(loaded, path)
    if review or accept_all:
        if agent:
            raise click.UsageError("--review / --accept-all don't ask an agent: leave out --agent")
        _review(loaded, fills, path, accept_all)
        return
    _stale(loaded, fills)
    if dry_run:
        _dry_run(loaded)
        return
    if not agent:
        raise click.UsageError("--agent PROVIDER is needed (command:ARGV, openai:BASE_URL or replay:FILE)")
    _ask(loaded, fills, path, agent, attempts, model, api_key, timeout, retries, prices, list(only), jax_level, games,
         log_opt, record)


def _stale(loaded, fills) -> None:
    from ..fill.usage import usage

    for s in usage(loaded.cards.values(), fills).stale:
        click.echo(f"warning: {s}", err=True)


def _dry_run(loaded) -> None:
    from ..fill.prompt import build_prompt
    from ..fill.run import targets

    todo = targets(loaded)
    click.echo(f"{plural(len(todo), 'unresolved text')} to ask for:")
    for t in todo:
        size = sum(len(m["content"]) for m in build_prompt(t, loaded))
        click.echo(f"  [{t.kind}] {t.text}")
        click.echo(f"      {', '.join(c.id for c in t.cards)}; {t.reason}; prompt {size:,} characters")


def _ask(loaded, fills, path: Path, agent: str, attempts: int, model, api_key, timeout, retries, prices, only,
         jax_level, games, log_opt, record) -> None:
    from rich.console import Console
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, SpinnerColumn, TextColumn, TimeElapsedColumn

    from ..fill.check import Options
    from ..fill.providers import ProviderError, Recorder, make_provider
    from ..fill.run import Log, fill_pool

    try:
        provider = make_provider(agent, model=model, api_key=api_key, timeout=timeout, retries=retries)
    except ProviderError as e:
        raise SpecError(Diagnostic("--agent", str(e))) from None
    if record:
        provider = Recorder(provider)
    log_path = Path(log_opt) if log_opt else path.with_name(path.stem + ".log.jsonl")
    log = Log(log_path, provider.secrets)
    opts = Options(lowering=jax_level != "off", lockstep=jax_level == "games", games=games)
    progress = Progress(SpinnerColumn(), TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(),
                        TimeElapsedColumn(), console=Console(stderr=True), transient=True)
    try:
        with progress:
            task = progress.add_task("collecting the unresolved texts", total=None)

            def say(msg: str, done: int, total: int) -> None:
                progress.update(task, description=msg[:100], completed=done, total=total)

            summary = fill_pool(loaded, provider, fills, path, attempts, opts, log, only, say)
    finally:
        provider.close()
        if record:
            provider.save(record)
    _summary(summary, fills, path, log_path, provider.label, prices, loaded)
    if summary.stopped:
        raise SpecError(Diagnostic("--agent", f"stopped: {summary.stopped}"))
    raise SystemExit(0 if summary.rejected == 0 else 1)


def _summary(s, fills, path: Path, log_path: Path, label: str, prices, loaded) -> None:
    asked = len(s.results)
    if not asked:
        click.echo("nothing to fill: every effect text of the pool parses or has a fill")
    else:
        declined = sum(r.outcome == "declined" for r in s.results)
        click.echo(f"filled {s.filled} of {plural(asked, 'text')}, {s.rejected} not filled"
                   + (f" ({declined} declined by the agent)" if declined else "")
                   + f"; {s.still_unresolved} still unresolved in the pool")
    tok = (f"{s.prompt_tokens:,} prompt + {s.completion_tokens:,} completion tokens" if s.tokens_known
           else f"tokens not reported by {label}" + (f" (reported: {s.prompt_tokens + s.completion_tokens:,})"
                                                      if s.prompt_tokens or s.completion_tokens else ""))
    line = f"{plural(s.attempts, 'attempt')}, {tok}, {s.seconds:.1f} s"
    if prices is not None:
        line += f", cost {s.cost(*prices):.4f} (at {prices[0]:g} / {prices[1]:g} per million tokens)"
    click.echo(line)
    for r in s.results:
        if r.outcome == "filled":
            click.echo(f"  filled [{r.kind}] {r.text}\n      as: {r.rendering}")
    for r in s.results:
        if r.outcome != "filled":
            click.echo(f"  not filled ({r.outcome}) [{r.kind}] {r.text}")
            for why in r.reasons:
                click.echo(f"      {why}")
    unreviewed = sum(not f.reviewed for f in fills.fills)
    if fills.fills:
        click.echo(f"{display_path(path)}: {plural(len(fills.fills), 'fill')}, {unreviewed} not reviewed"
                   + (f" (tcgc fill {display_path(loaded.path)} --review)" if unreviewed else ""))
    click.echo(f"every answer and its outcome: {display_path(log_path)}")
    if fills.fills and not loaded.spec.fills:
        click.echo(f"note: the spec names no fills file; add `fills: {path.name}` to {display_path(loaded.path)} "
                   "so that builds use them")


def _review(loaded, fills, path: Path, accept_all: bool) -> None:
    from datetime import datetime, timezone

    from ..fill.store import save_fills
    from ..render import render

    pending = [f for f in fills.fills if not f.reviewed]
    if not pending:
        click.echo(f"{display_path(path)}: no unreviewed fill")
        return
    printed: dict[tuple[str, str], list[str]] = {}
    from ..pool import effects_of
    from ..fill.usage import _blank

    for c in loaded.cards.values():
        for kind, text, _ in effects_of(c, _blank(c)):
            printed.setdefault((kind, text), []).append(f"{c.id} {c.name}")
    changed = 0
    base = {("attack", a.text): a.base_damage for c in loaded.cards.values() for a in getattr(c, "attacks", [])
            if a.text}
    for i, f in enumerate(pending, 1):
        if not accept_all:
            on = ", ".join(printed.get(f.key, ["no card of the pool"]))
            click.echo(f"\n[{i}/{len(pending)}] {f.kind} text on {on}")
            click.echo(f"  printed:   {f.text}")
            try:
                english = render(f.ir, f.kind, base.get(f.key, 0))
            except Exception as e:  # a hand-written fill with no canonical wording
                english = f"(no canonical English: {e})"
            click.echo(f"  canonical: {english}")
            click.echo(f"  from {f.provider}" + (f" ({f.model})" if f.model else "")
                       + (f", {f.time}" if f.time else ""))
            for step, result in f.checks.items():
                click.echo(f"    {step}: {result}")
            choice = click.prompt("  mark reviewed? [y]es / [n]o, remove the fill / [s]kip / [q]uit",
                                  type=click.Choice(["y", "n", "s", "q"]), show_choices=False)
            if choice == "q":
                break
            if choice == "s":
                continue
            if choice == "n":
                fills.remove(f.key)
                changed += 1
                save_fills(fills, path)
                click.echo("  removed")
                continue
        fills.put(f.model_copy(update={"reviewed": True}))
        changed += 1
        save_fills(fills, path)
    now = datetime.now(timezone.utc).replace(microsecond=0).isoformat()
    left = sum(not f.reviewed for f in fills.fills)
    click.echo(f"{display_path(path)}: {plural(changed, 'fill')} changed, {left} left unreviewed ({now})")
