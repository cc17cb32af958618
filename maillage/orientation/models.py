"""Orientation: the decision tree of the guide (domain.md §5), as data."""
