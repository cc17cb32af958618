from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from .models import Campaign, DownloadCount, Material, MaterialVariant, PrintOrder


@admin.register(Campaign)
class CampaignAdmin(SimpleHistoryAdmin):
    list_display = ["title", "territory", "priority", "starts_on", "ends_on"]
    list_filter = ["territory"]
    search_fields = ["title"]
    filter_horizontal = ["partners"]


class MaterialVariantInline(admin.TabularInline):
    """Files go through the workspace upload (checked by content, images re-encoded)."""

    model = MaterialVariant
    fields = ["purpose", "language", "content_type", "size", "bleed_mm"]
    readonly_fields = fields
    extra = 0
    can_delete = False

    def has_add_permission(self, request, obj=None) -> bool:
        return False


@admin.register(Material)
class MaterialAdmin(SimpleHistoryAdmin):
    """Files go through the workspace upload, which checks their content; the stock changes
    through restocks and orders (with their history)."""

    list_display = [
        "title",
        "kind",
        "campaign",
        "review_state",
        "is_public",
        "stock",
        "stock_alert_threshold",
    ]
    list_filter = ["kind", "review_state", "is_public"]
    search_fields = ["title"]
    exclude = ["file", "content_type", "preview"]
    readonly_fields = ["stock"]
    inlines = [MaterialVariantInline]


@admin.register(PrintOrder)
class PrintOrderAdmin(SimpleHistoryAdmin):
    """Orders are decided in the workspace (stock lock); read-only here."""

    list_display = ["material", "organisation", "quantity", "status", "delivered_on"]
    list_filter = ["status"]

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_add_permission(self, request) -> bool:
        return False


@admin.register(DownloadCount)
class DownloadCountAdmin(admin.ModelAdmin):
    list_display = ["material", "organisation", "month", "count"]
