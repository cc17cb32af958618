from django.contrib import admin
from django.core.exceptions import ValidationError
from django.forms.models import BaseInlineFormSet
from simple_history.admin import SimpleHistoryAdmin

from .models import (
    ChangeRequest,
    Closure,
    ErrorReport,
    OpeningException,
    OpeningSlot,
    Place,
    Service,
    ServicePhone,
    Term,
    ZeroResultTermCount,
    check_exception_day,
)
from .search import reindex


@admin.register(Term)
class TermAdmin(SimpleHistoryAdmin):
    """The taxonomy is data: an administrator edits labels and data·inclusion mappings."""

    list_display = [
        "label",
        "vocabulary",
        "code",
        "di_thematique",
        "di_type",
        "di_public",
        "is_active",
    ]
    list_filter = ["vocabulary", "is_active"]
    search_fields = ["label", "code", "public_label"]
    list_editable = ["is_active"]


class PhoneInline(admin.TabularInline):
    model = ServicePhone
    extra = 0


class PlaceInline(admin.StackedInline):
    model = Place
    extra = 0
    autocomplete_fields = ["commune"]


class SlotInline(admin.TabularInline):
    model = OpeningSlot
    extra = 0


class ClosureInline(admin.TabularInline):
    model = Closure
    extra = 0


class OpeningExceptionFormSet(BaseInlineFormSet):
    """The rows of one date are checked together (each row's clean() sees only saved ones)."""

    def clean(self) -> None:
        super().clean()
        days: dict = {}
        for form in self.forms:
            data = getattr(form, "cleaned_data", None)
            if not data or data.get("DELETE") or not data.get("on"):
                continue
            days.setdefault(data["on"], []).append((data.get("opens"), data.get("closes")))
        errors = []
        for day, hours in sorted(days.items()):
            try:
                check_exception_day(day, hours)
            except ValidationError as error:
                errors.extend(error.messages)
        if errors:
            raise ValidationError(errors)


class OpeningExceptionInline(admin.TabularInline):
    model = OpeningException
    formset = OpeningExceptionFormSet
    extra = 0


@admin.register(Service)
class ServiceAdmin(SimpleHistoryAdmin):
    list_display = ["name", "organisation", "status", "visibility", "last_verified_on"]
    list_filter = ["status", "visibility", "coverage", "is_24_7"]
    search_fields = ["name", "organisation__name", "source_id"]
    autocomplete_fields = ["organisation"]
    filter_horizontal = [
        "violence_types",
        "help_types",
        "publics",
        "languages",
        "coverage_communes",
    ]
    inlines = [PhoneInline, PlaceInline, SlotInline, ClosureInline, OpeningExceptionInline]

    def save_related(self, request, form, formsets, change) -> None:
        super().save_related(request, form, formsets, change)
        reindex([form.instance])  # terms and places changed: the search text follows


@admin.register(ErrorReport)
class ErrorReportAdmin(SimpleHistoryAdmin):
    list_display = ["service", "kind", "status", "created_at"]
    list_filter = ["status", "kind"]


@admin.register(ChangeRequest)
class ChangeRequestAdmin(SimpleHistoryAdmin):
    list_display = ["__str__", "author", "status", "created_at"]
    list_filter = ["status"]


@admin.register(ZeroResultTermCount)
class ZeroResultTermCountAdmin(admin.ModelAdmin):
    """Counts of the vocabulary's words in searches that found nothing: read, never typed in
    (a word written here by hand would not come from the vocabulary)."""

    list_display = ["month", "territory", "term", "count"]
    list_filter = ["territory", "month"]

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False
