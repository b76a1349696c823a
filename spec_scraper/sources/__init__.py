"""Card and rules sources. Each site module implements `base.CardSite`; dumps are read by `jsonl` and `..local`."""

from .bulbapedia import Bulbapedia
from .limitless import Limitless

SITES = [Limitless(), Bulbapedia()]
"""Sites tried, in order, to recognise a page."""
