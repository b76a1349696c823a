"""One module per source; each turns its input into CardSpec models."""
