"""Jinja2 templates of the generated engine (package data)."""
