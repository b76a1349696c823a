"""`python -m compiler.cli` runs the tcgc command."""

from . import main

main()
