from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from .models import (
    ActionSheet,
    Attachment,
    Decision,
    FollowUpNote,
    Meeting,
    Milestone,
    PlanReminder,
    WorkingGroup,
)


class MilestoneInline(admin.TabularInline):
    model = Milestone
    extra = 0


class AttachmentInline(admin.TabularInline):
    """Files go through the workspace upload, which checks their content."""

    model = Attachment
    fields = ["title", "content_type", "size", "uploaded_by", "uploaded_at"]
    readonly_fields = fields
    extra = 0

    def has_add_permission(self, request, obj=None) -> bool:
        return False


@admin.register(ActionSheet)
class ActionSheetAdmin(SimpleHistoryAdmin):
    list_display = ["title", "priority", "pilot", "status", "progress"]
    list_filter = ["status", "priority__contract__territory"]
    search_fields = ["title"]
    filter_horizontal = ["partners", "funders"]
    inlines = [MilestoneInline, AttachmentInline]


@admin.register(FollowUpNote)
class FollowUpNoteAdmin(SimpleHistoryAdmin):
    list_display = ["sheet", "written_on", "author"]
    list_select_related = ["sheet", "author"]


@admin.register(WorkingGroup)
class WorkingGroupAdmin(SimpleHistoryAdmin):
    list_display = ["name", "contract", "pilot"]
    filter_horizontal = ["members"]


class DecisionInline(admin.TabularInline):
    model = Decision
    extra = 0


@admin.register(Meeting)
class MeetingAdmin(SimpleHistoryAdmin):
    list_display = ["__str__", "contract", "kind", "starts_at", "status"]
    list_filter = ["kind", "status", "contract__territory"]
    filter_horizontal = ["attending_organisations", "attendees"]
    inlines = [DecisionInline]


@admin.register(PlanReminder)
class PlanReminderAdmin(admin.ModelAdmin):
    list_display = ["meeting", "organisation", "days_before", "sent_at"]
    readonly_fields = ["meeting", "organisation", "days_before", "recipients", "sent_at"]
