"""tcgc: a declarative spec-to-code compiler for card-game engines."""

__version__ = "0.1.0"
