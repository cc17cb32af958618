"""A fixed-window counter per client address, in the cache (shared by app servers with Redis).

Only a keyed hash of the address is stored, and only for the window: no visitor data is kept.
"""

import time

from django import forms
from django.core.cache import cache
from django.http import HttpRequest
from django.utils.crypto import salted_hmac
from django.utils.translation import gettext, gettext_lazy


def within_limit(scope: str, address: str, *, limit: int, window_seconds: int) -> bool:
    """Count one more hit for this address in this scope; False once the limit is passed."""
    window = int(time.time() // window_seconds)
    digest = salted_hmac(f"ratelimit.{scope}", f"{address}:{window}", algorithm="sha256")
    key = f"ratelimit:{scope}:{digest.hexdigest()[:32]}"
    cache.add(key, 0, timeout=window_seconds * 2)
    try:
        count = cache.incr(key)
    except ValueError:  # the key expired between add() and incr()
        cache.set(key, 1, timeout=window_seconds * 2)
        count = 1
    return count <= limit


# Anti-automation for the forms robots like (error reports, registrations, applications): a
# honeypot field that people never see, and a per-client limit of posts. One helper for all.

HONEYPOT_FIELD = "site"


class HoneypotInput(forms.TextInput):
    """A text input robots fill in and people never see: hidden by CSS, out of the tab order
    and of the accessibility tree; rendered with the form's hidden fields."""

    is_hidden = True

    def __init__(self) -> None:
        super().__init__(
            attrs={
                "class": "visually-hidden",
                "tabindex": "-1",
                "autocomplete": "off",
                "aria-hidden": "true",
                "aria-label": gettext_lazy("Ne remplissez pas ce champ"),
            }
        )


class HoneypotForm(forms.Form):
    """Base (or mixin) of a form with the honeypot: filled in, the form is refused."""

    site = forms.CharField(
        label=gettext_lazy("Ne remplissez pas ce champ"), required=False, widget=HoneypotInput
    )

    def clean_site(self) -> str:
        if self.cleaned_data.get(HONEYPOT_FIELD):
            raise forms.ValidationError(gettext("Ce formulaire n'a pas pu être envoyé."))
        return ""


def client_key(request: HttpRequest) -> str:
    """Whom to count: the account when logged in (an office shares one address), otherwise
    the address."""
    user = getattr(request, "user", None)
    if user is not None and user.is_authenticated:
        return f"user:{user.pk}"
    return request.META.get("REMOTE_ADDR", "")


def too_many_posts(
    request: HttpRequest,
    form: forms.BaseForm,
    *,
    scope: str,
    limit: int,
    window_seconds: int = 3600,
) -> bool:
    """Count one more valid post of this client in this scope; once the limit is passed, add a
    French error to the form (nothing is written) and answer True."""
    if within_limit(scope, client_key(request), limit=limit, window_seconds=window_seconds):
        return False
    form.add_error(
        None,
        gettext("Trop d'envois depuis cette connexion. Réessayez dans %(minutes)d minutes.")
        % {"minutes": max(1, window_seconds // 60)},
    )
    return True


class SignupHoneypot(HoneypotForm):
    """The honeypot on allauth's signup form: `ACCOUNT_SIGNUP_FORM_CLASS` names this class
    (allauth adds its fields to the signup form and calls `signup()` once the account exists).
    The signup rate limit itself is allauth's (`ACCOUNT_RATE_LIMITS["signup"]`)."""

    def signup(self, request: HttpRequest, user) -> None:
        """Nothing to add to the new account."""
