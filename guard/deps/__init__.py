"""Parsers that turn dependency files into `Dep` records."""
