from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from .models import Indicator, IndicatorValue


class IndicatorValueInline(admin.TabularInline):
    model = IndicatorValue
    fields = ["period_start", "period_end", "value", "comment", "entered_by"]
    raw_id_fields = ["entered_by"]
    extra = 0


@admin.register(Indicator)
class IndicatorAdmin(SimpleHistoryAdmin):
    list_display = ["title", "code", "contract", "priority", "source", "target", "is_headline"]
    list_filter = ["contract", "source", "level"]
    search_fields = ["title", "code"]
    raw_id_fields = ["responsible", "training_module"]
    inlines = [IndicatorValueInline]


@admin.register(IndicatorValue)
class IndicatorValueAdmin(SimpleHistoryAdmin):
    list_display = ["indicator", "period_start", "period_end", "value", "entered_by"]
    list_filter = ["indicator__contract"]
    raw_id_fields = ["indicator", "entered_by"]
