from maillage.directory.text import fold, normalise


def test_folding_removes_case_and_accents():
    assert fold("Hébergement d'Urgence — Œuvre") == "hebergement d'urgence — oeuvre"


def test_accents_and_inflections_give_the_same_stems():
    assert normalise("hébergement") == normalise("hebergement") == normalise("héberger")
    assert normalise("violences conjugales") == normalise("violence conjugale")
    assert normalise("mineurs") == normalise("mineur")


def test_grammatical_words_are_left_out():
    assert normalise("aide pour les victimes de la route") == normalise("aide victimes route")
