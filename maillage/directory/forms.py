from django import forms
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from maillage.core.models import Commune

from .models import Term
from .search import Query
from .text import fold

RADIUS_CHOICES = [(5, "5 km"), (10, "10 km"), (30, "30 km"), (50, "50 km"), (100, "100 km")]


def find_commune(text: str) -> Commune | None:
    """A commune from its INSEE code, a postal code or its name (accents optional)."""
    text = text.strip()
    if not text:
        return None
    communes = Commune.objects.order_by("-population", "insee_code")
    if text.isdigit() and len(text) == 5:
        by_code = communes.filter(insee_code=text).first()
        if by_code:
            return by_code
        # Postal codes are a JSON list: filter in Python among the département's communes.
        return next(
            (c for c in communes.filter(department=text[:2]) if text in c.postal_codes), None
        )
    folded = fold(text)
    candidates = communes.filter(Q(name__iexact=text) | Q(name__istartswith=text[:3]))
    return next((c for c in candidates if fold(c.name) == folded), None)


class TermChoiceField(forms.MultipleChoiceField):
    widget = forms.CheckboxSelectMultiple

    def __init__(self, vocabulary: str, **kwargs) -> None:
        super().__init__(required=False, **kwargs)
        self.vocabulary = vocabulary

    def load(self, terms: list[Term]) -> None:
        self.choices = [(t.code, t.display_label) for t in terms if t.vocabulary == self.vocabulary]


class SearchForm(forms.Form):
    """The public search: a GET form (shareable URLs, no cookie)."""

    q = forms.CharField(label=_("Que cherchez-vous ?"), required=False, max_length=200)
    commune = forms.CharField(label=_("Commune ou code postal"), required=False, max_length=100)
    lat = forms.FloatField(required=False, min_value=-90, max_value=90, widget=forms.HiddenInput)
    lon = forms.FloatField(required=False, min_value=-180, max_value=180, widget=forms.HiddenInput)
    rayon = forms.TypedChoiceField(
        label=_("Dans un rayon de"), choices=RADIUS_CHOICES, coerce=int, required=False, initial=30
    )
    violence = TermChoiceField(Term.Vocabulary.VIOLENCE, label=_("Type de violence"))
    aide = TermChoiceField(Term.Vocabulary.HELP, label=_("Type d'aide"))
    public = TermChoiceField(Term.Vocabulary.PUBLIC, label=_("Public"))
    langue = TermChoiceField(Term.Vocabulary.LANGUAGE, label=_("Langue"))
    ouvert = forms.BooleanField(label=_("Ouvert maintenant"), required=False)
    gratuit = forms.BooleanField(label=_("Gratuit"), required=False)
    anonyme = forms.BooleanField(label=_("Anonyme"), required=False)
    mineurs = forms.BooleanField(label=_("Accueille les mineurs"), required=False)

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        if self.is_bound and not self.data.get("rayon"):
            self.data = self.data.copy()
            self.data["rayon"] = str(self.fields["rayon"].initial)
        terms = list(Term.objects.filter(is_active=True))  # one query for the four filters
        for name in ("violence", "aide", "public", "langue"):
            self.fields[name].load(terms)

    def clean_commune(self) -> Commune | None:
        text = self.cleaned_data["commune"]
        commune = find_commune(text)
        if text.strip() and commune is None:
            raise forms.ValidationError(
                _("Commune inconnue : saisissez son nom, son code postal ou son code INSEE.")
            )
        return commune

    def to_query(self) -> Query:
        data = self.cleaned_data if self.is_valid() else {}
        return Query(
            text=data.get("q", ""),
            commune=data.get("commune"),
            latitude=data.get("lat"),
            longitude=data.get("lon") if data.get("lat") is not None else None,
            radius_km=data.get("rayon") or 30,
            violence=data.get("violence", []),
            help=data.get("aide", []),
            public=data.get("public", []),
            language=data.get("langue", []),
            open_now=data.get("ouvert", False),
            free=data.get("gratuit", False),
            anonymous=data.get("anonyme", False),
            minors=data.get("mineurs", False),
        )
