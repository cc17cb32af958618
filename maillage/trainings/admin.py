from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from .models import (
    Certificate,
    Module,
    Registration,
    Reminder,
    Trainee,
    TrainingSession,
    TrainingSlot,
)


@admin.register(Module)
class ModuleAdmin(SimpleHistoryAdmin):
    list_display = ["title", "territory", "trainer_organisation", "duration_hours", "is_published"]
    list_filter = ["territory", "is_published"]
    search_fields = ["title", "slug"]
    prepopulated_fields = {"slug": ["title"]}
    autocomplete_fields = ["trainer_organisation"]


class SlotInline(admin.TabularInline):
    model = TrainingSlot
    extra = 0


@admin.register(TrainingSession)
class TrainingSessionAdmin(SimpleHistoryAdmin):
    """Registrations go through the workspace (seats, waiting list, emails), not here."""

    list_display = ["__str__", "status", "capacity", "commune"]
    list_filter = ["status", "module__territory", "module"]
    search_fields = ["module__title", "place_name", "commune__name"]
    autocomplete_fields = ["commune"]
    filter_horizontal = ["trainers"]
    inlines = [SlotInline]
    list_select_related = ["module", "commune"]


@admin.register(Registration)
class RegistrationAdmin(SimpleHistoryAdmin):
    """Read-mostly: a change of status here would bypass the waiting list and its emails."""

    list_display = ["last_name", "first_name", "email", "organisation", "session", "status"]
    list_filter = ["status", "session__module"]
    search_fields = ["last_name", "first_name", "email", "organisation__name"]
    list_select_related = ["organisation", "session__module"]
    readonly_fields = [
        "session",
        "trainee",
        "status",
        "offer_expires_at",
        "created_at",
        "confirmed_at",
        "cancelled_at",
        "cancelled_by",
        "registered_by",
        "email_key",
    ]
    autocomplete_fields = ["organisation", "commune", "user"]


@admin.register(Trainee)
class TraineeAdmin(admin.ModelAdmin):
    list_display = ["email_key", "created_at"]
    search_fields = ["email_key"]
    readonly_fields = ["email_key", "created_at"]


@admin.register(Reminder)
class ReminderAdmin(admin.ModelAdmin):
    list_display = ["registration", "days_before", "sent_at"]
    readonly_fields = ["registration", "days_before", "sent_at"]


@admin.register(Certificate)
class CertificateAdmin(admin.ModelAdmin):
    """To withdraw a certificate issued by mistake: delete it (its code then reads "inconnue")."""

    list_display = ["code", "registration", "issued_at", "emailed_at"]
    search_fields = ["code", "registration__last_name"]
    readonly_fields = ["code", "registration", "issued_at", "emailed_at"]
