"""Who may do what with the surveys of signatories (imported by rules.py)."""
