"""A fixture card-database site in the Limitless markup, generated from the corpus and served on 127.0.0.1."""
