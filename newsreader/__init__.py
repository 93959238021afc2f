"""Newsreader: a desktop news reader that keeps a searchable local library of articles."""

__version__ = "0.1.0"
