from allauth.mfa import admin as allauth_mfa_admin
from allauth.mfa.models import Authenticator
from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.http import HttpRequest
from simple_history.admin import SimpleHistoryAdmin

from .models import (
    Commune,
    Contract,
    EmergencyNumber,
    Organisation,
    Priority,
    Role,
    Signature,
    Territory,
    User,
)


@admin.register(Commune)
class CommuneAdmin(admin.ModelAdmin):
    list_display = ["insee_code", "name", "department", "population"]
    search_fields = ["insee_code", "name"]


@admin.register(Territory)
class TerritoryAdmin(SimpleHistoryAdmin):
    list_display = ["name", "slug", "epci_siren"]
    prepopulated_fields = {"slug": ["name"]}
    filter_horizontal = ["communes"]


class PriorityInline(admin.TabularInline):
    model = Priority
    extra = 0


@admin.register(Contract)
class ContractAdmin(SimpleHistoryAdmin):
    list_display = ["title", "territory", "start_date", "end_date", "signed_on"]
    list_filter = ["territory"]
    inlines = [PriorityInline]


@admin.register(Organisation)
class OrganisationAdmin(SimpleHistoryAdmin):
    list_display = ["name", "kind", "commune", "territory"]
    list_filter = ["territory", "kind"]
    search_fields = ["name", "acronym", "siret"]
    autocomplete_fields = ["commune"]


@admin.register(Signature)
class SignatureAdmin(SimpleHistoryAdmin):
    list_display = ["organisation", "contract", "signed_on", "is_new"]
    list_filter = ["contract", "is_new"]
    autocomplete_fields = ["organisation"]


@admin.register(EmergencyNumber)
class EmergencyNumberAdmin(SimpleHistoryAdmin):
    list_display = ["number", "label", "channel", "position", "is_active"]
    list_editable = ["position", "is_active"]


class RoleInline(admin.TabularInline):
    model = Role
    extra = 0
    autocomplete_fields = ["organisation"]


@admin.register(User)
class UserAdmin(DjangoUserAdmin, SimpleHistoryAdmin):
    ordering = ["email"]
    list_display = ["email", "first_name", "last_name", "is_superuser", "is_active"]
    search_fields = ["email", "first_name", "last_name"]
    inlines = [RoleInline]
    fieldsets = [
        (None, {"fields": ["email", "password"]}),
        ("Identité", {"fields": ["first_name", "last_name"]}),
        ("Accès", {"fields": ["is_active", "is_staff", "is_superuser"]}),
        ("Dates", {"fields": ["last_login", "date_joined"]}),
    ]
    add_fieldsets = [(None, {"classes": ["wide"], "fields": ["email", "password1", "password2"]})]


# allauth's own admin of the second factors shows `data`, which holds the TOTP key and the
# recovery codes' seed (encrypted, but still not for anyone's eyes). Here an administrator
# sees who has which factor and may delete one (a lost phone), never its secret.
admin.site.unregister(Authenticator)


@admin.register(Authenticator)
class AuthenticatorAdmin(allauth_mfa_admin.AuthenticatorAdmin):
    exclude = ["data"]
    readonly_fields = ["user", "type", "created_at", "last_used_at"]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False  # a factor is enrolled by its owner, who scans the key
