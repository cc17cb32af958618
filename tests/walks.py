"""The public orientation guide walked as a visitor does, step by step: one place for the tests
that walk it (and bench/load.py's orientation_body, which is not a test: it has its own copy)."""

# A victim of couple violence in Angers, needing shelter and someone to talk to.
SHELTER_IN_ANGERS = [
    ("securite", ["oui"]),
    ("danger", ["non"]),
    ("mineur", ["non"]),
    ("qui", ["victime"]),
    ("personne", ["femme"]),
    ("violences", ["couple"]),
    ("besoins", ["abri", "parler"]),
    ("commune", ["Angers"]),
    ("conditions", []),
]
