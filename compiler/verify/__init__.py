"""Verification: proof that a generated engine plays the reference engine's game (DESIGN.md, Verification).

It sits above the stages: it imports both the reference engine and generated packages; neither imports it.
`properties`: invariants on every state of the generated engine's own random games.
`rollout`: full random games on both engines, canonical states and legal masks compared after every step.
"""
