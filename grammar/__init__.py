"""Lark grammars for card effect text (package data)."""
