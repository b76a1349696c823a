"""The hand-written runtime of every generated engine, copied verbatim into each generated package.

The rules shared by every game of the family live here; what differs per spec (card tables, effect programs, rule
constants) comes from the package's generated `tables` module, passed in as `T`. See docs/backend.md.
"""
