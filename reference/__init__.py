"""The plain-Python reference engine: the executable definition of the rules."""
