"""Card and rules sources. Each site module implements `base.CardSite`; dumps are read by `dump`."""

from .limitless import Limitless

SITES = [Limitless()]
"""Sites tried, in order, to recognise a page."""
