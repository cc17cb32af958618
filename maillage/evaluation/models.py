"""Indicators of the contract: definitions, targets and values per period."""
