"""Export a reference State into the canonical array encoding (compiler.engine_model.encoding)."""

from __future__ import annotations

import typing

import numpy as np

from compiler import ir
from compiler.engine_model.encoding import MAX_DURATIONS, MAX_STACK, PENDING_KINDS, PHASES, StateLayout

from .state import State

MODIFIER_OPS = sorted(t.model_fields["op"].default for t in typing.get_args(typing.get_args(ir.Modifier)[0]))
"""Every modifier op of the IR, sorted (the canonical encoding's `dur_op` index)."""


def state_layout(engine) -> StateLayout:
    return StateLayout.from_rules(engine.rules, engine.layout.max_options)


def encode_state(s: State) -> dict[str, np.ndarray]:
    """The canonical arrays of a state (cards as pool indices, -1 padding)."""
    eng = s.engine
    lay = state_layout(eng)
    out = lay.empty()
    S = 1 + lay.bench_size
    co = s.card_of
    names = eng.attack_names

    def put(name, idx, values):
        arr = out[name][idx]
        vals = list(values)[: arr.shape[0]]
        arr[: len(vals)] = vals

    out["turn"][()] = s.turn
    out["turn_actions"][()] = s.turn_actions
    out["turn_player"][()] = s.turn_player
    out["current_player"][()] = s.current_player
    out["first_player"][()] = s.first_player
    out["phase"][()] = PHASES.index(s.phase)
    out["winner"][()] = s.winner
    out["terminated"][()] = s.terminated
    out["truncated"][()] = s.truncated
    out["stadium"][()] = co[s.stadium] if s.stadium >= 0 else -1
    out["stadium_owner"][()] = s.stadium_owner
    uid_slot = {}
    for p, pl in enumerate(s.players):
        out["points"][p] = pl.points
        put("deck", p, (co[i] for i in pl.deck))
        put("hand", p, (co[i] for i in pl.hand))
        put("discard", p, (co[i] for i in pl.discard))
        out["discard_energy"][p] = pl.discard_energy
        put("energy_types", p, pl.energy_types)
        for f in ("energy_current", "energy_next", "supporters_played", "retreats", "energy_attached",
                  "turns_taken", "ko_by_attack_turn", "last_attack_turn"):
            out[f][p] = getattr(pl, f)
        out["last_attack"][p] = names.index(pl.last_attack) if pl.last_attack in names else -1
        for i, pk in enumerate(pl.slots):
            if pk is None:
                continue
            uid_slot[pk.uid] = p * S + i
            out["card"][p, i] = co[pk.top]
            out["stack"][p, i, : min(len(pk.cards), MAX_STACK)] = [co[c] for c in pk.cards[:MAX_STACK]]
            put("tools", (p, i), (co[t] for t in pk.tools))
            out["energy"][p, i] = pk.energy
            out["rot"][p, i] = pk.rot
            for f in ("damage", "poisoned", "burned", "paralysis_left", "paralysis_turn", "entered_turn",
                      "evolved_turn", "ability_used", "poison_damage", "moved_active_turn", "attack_damaged_turn"):
                out[f][p, i] = getattr(pk, f)
    for k, d in enumerate(s.durations[:MAX_DURATIONS]):
        out["dur_owner"][k] = d.owner
        out["dur_player"][k] = d.player
        out["dur_target"][k] = uid_slot.get(d.target, -1)
        out["dur_until"][k] = min(d.until, np.iinfo(np.int16).max)
        out["dur_source_card"][k] = d.source_card
        out["dur_op"][k] = MODIFIER_OPS.index(d.data[0].op)
    pend = s.pending
    out["pending_kind"][()] = 0
    if pend is not None:
        out["pending_chooser"][()] = pend.chooser
        out["pending_kind"][()] = PENDING_KINDS.index(pend.kind)
        out["pending_optional"][()] = pend.optional
        opts = [co[o] if pend.kind == "card" else o for o in pend.options]
        put("pending_options", (), opts)
    return out


def encode_observation(s: State, player: int) -> dict[str, np.ndarray]:
    """The canonical arrays `player` may see: the opponent's hand and both decks are hidden (-1; their sizes are in
    `hand_count` / `deck_count`), and so are the options of a decision that is not theirs."""
    out = encode_state(s)
    opp = 1 - player
    out["hand_count"] = np.array([len(pl.hand) for pl in s.players], dtype=np.int8)
    out["deck_count"] = np.array([len(pl.deck) for pl in s.players], dtype=np.int8)
    out["hand"][opp] = -1
    out["deck"][:] = -1
    if s.pending is not None and s.pending.chooser != player:
        out["pending_options"][:] = -1
    return out
