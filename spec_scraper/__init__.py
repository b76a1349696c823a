"""Scrapers that turn card-database pages and dumps into tcgc card-set YAML."""
