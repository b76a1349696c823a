"""Agent fills for the effect texts the grammar can't parse (`tcgc fill`, docs/fill.md).

An agent (a provider: `command:ARGV`, `openai:BASE_URL`, `replay:FILE`) is asked for one effect as IR JSON or as
canonical effect text; its answer is data, never code. It is decoded and size-limited (`answer`), checked (`check`:
schema, the grammar, the card, the pool's names, the lowering, whole-board scenarios on the reference engine, games
on both engines in lockstep), and only then written to fills.yaml (`store`) with its provenance and check results.
`compiler.pool.card_irs` applies the fills for both engines; builds read fills.yaml and never call an agent.
"""
