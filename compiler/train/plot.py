"""Learning curves (matplotlib, no display): win rate against each opponent kind, game length, value loss and
steps/s, against wall-clock time."""

from __future__ import annotations

from pathlib import Path


def plot_curves(history: list, path, title: str = "") -> Path:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    path = Path(path)
    t = [r["wall_s"] / 60 for r in history]
    fig, ax = plt.subplots(2, 2, figsize=(10, 7))
    a = ax[0][0]
    for kind in ("random", "greedy", "self"):
        pts = [(x, r["win_rate"][kind]) for x, r in zip(t, history)
               if r["win_rate"].get(kind) is not None and r["window_games"].get(kind, 0) >= 50]
        if pts:
            a.plot(*zip(*pts), label=f"vs {kind}")
    a.axhline(0.5, color="grey", lw=0.5, ls="--")
    a.set_ylim(0, 1)
    a.set_ylabel("win rate (last games)")
    a.legend(loc="lower right")
    a = ax[0][1]
    pts = [(x, r["game_length"]) for x, r in zip(t, history) if r["game_length"] is not None]
    if pts:
        a.plot(*zip(*pts), lw=0.8)
    a.set_ylabel("game length (engine steps)")
    a = ax[1][0]
    a.plot(t, [r["value_loss"] for r in history], lw=0.8)
    a.set_ylabel("value loss")
    a.set_yscale("log")
    a = ax[1][1]
    a.plot(t, [r["steps_per_s"] for r in history], lw=0.8)
    a.set_ylabel("engine steps/s")
    for a in ax[1]:
        a.set_xlabel("wall-clock minutes (compile excluded)")
    for a in ax[0]:
        a.set_xlabel("wall-clock minutes")
    if title:
        fig.suptitle(title)
    fig.tight_layout()
    path.parent.mkdir(parents=True, exist_ok=True)
    fig.savefig(path, dpi=90)
    plt.close(fig)
    return path
