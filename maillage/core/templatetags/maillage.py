from django import template
from django.conf import settings
from django.urls import translate_url
from django.utils.translation import get_language

register = template.Library()


@register.simple_tag(takes_context=True)
def other_language(context) -> dict:
    """The same page in the other language: a plain link, never a form (a form sets a cookie)."""
    request = context.get("request")
    current = (get_language() or settings.LANGUAGE_CODE)[:2]
    code, label = next((c, n) for c, n in settings.LANGUAGES if c != current)
    path = request.get_full_path() if request else "/"
    names = {"fr": "Français", "en": "English"}
    return {"code": code, "label": names.get(code, str(label)), "url": translate_url(path, code)}


@register.simple_tag(takes_context=True)
def query_with(context, **changes) -> str:
    """The current query string with some parameters replaced (pagination, sorting)."""
    query = context["request"].GET.copy()
    for key, value in changes.items():
        if value in (None, ""):
            query.pop(key, None)
        else:
            query[key] = value
    return query.urlencode()


@register.filter
def split(value: str) -> list[str]:
    return value.split()


@register.filter
def field(form, name: str):
    """A bound field by name (for loops over field names)."""
    return form[name]


@register.filter
def get(mapping, key):
    """A dictionary value by key; nothing when the mapping or the key is missing."""
    return mapping.get(key) if hasattr(mapping, "get") else None


@register.simple_tag
def quick_exit_url() -> str:
    """For pages rendered without the request context (the error 500 page)."""
    return settings.QUICK_EXIT_URL
