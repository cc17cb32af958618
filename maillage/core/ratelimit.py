"""A fixed-window counter per client address, in the cache (shared by app servers with Redis).

Only a keyed hash of the address is stored, and only for the window: no visitor data is kept.
"""

import ipaddress
import time

from django import forms
from django.conf import settings
from django.core.cache import cache
from django.http import HttpRequest
from django.utils.crypto import salted_hmac
from django.utils.translation import gettext, gettext_lazy


def clean_address(value: str) -> str | None:
    """The IP address in `value` ("192.0.2.1", "192.0.2.1:5678", "[2001:db8::1]:443"), written
    the standard way; None when it holds none."""
    value = value.strip()
    if value.startswith("[") and "]" in value:  # [IPv6]:port
        value = value[1 : value.index("]")]
    elif value.count(":") == 1:  # IPv4:port
        value = value.split(":")[0]
    try:
        return str(ipaddress.ip_address(value))
    except ValueError:
        return None


def client_address(request: HttpRequest) -> str:
    """The visitor's address, for every per-client limit (ours and allauth's, through the
    account adapter).

    Without a proxy (`TRUSTED_PROXY_COUNT` = 0), the connection's address: X-Forwarded-For is
    ignored, anyone can write it. Behind N reverse proxies of our own, as allauth reads it: the
    N-th address from the right of X-Forwarded-For (each proxy appends the address it was
    reached from, so that one was written by our outermost proxy; those on its left are the
    client's to forge). A header with fewer than N addresses, or no valid address there, falls
    back to the connection's address (our proxy's: such requests share one bucket, which is
    stricter, never looser).
    """
    remote = request.META.get("REMOTE_ADDR", "")
    count = settings.TRUSTED_PROXY_COUNT
    forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "")
    if count > 0 and forwarded:
        addresses = forwarded.split(",")
        if len(addresses) >= count:
            address = clean_address(addresses[-count])
            if address:
                return address
    return clean_address(remote) or remote


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
    return client_address(request)


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
