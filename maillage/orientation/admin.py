"""Administration of the guide: national numbers, versions of the tree, their nodes (a draft's
only: a published or archived version is read-only), settings and counts."""

from django.contrib import admin, messages
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _
from simple_history.admin import SimpleHistoryAdmin

from .models import Choice, NationalNumber, Node, OrientationSettings, ResultCount, TreeVersion
from .services import DraftExists, VersionLocked, copy_version, publish
from .tree import InvalidTree, load_tree, validate


@admin.register(NationalNumber)
class NationalNumberAdmin(SimpleHistoryAdmin):
    list_display = ["number", "name", "code", "channel", "hours", "is_active"]
    list_filter = ["channel", "is_active"]
    search_fields = ["number", "name", "code"]


def editable(obj) -> bool:
    version = obj if isinstance(obj, TreeVersion) else getattr(obj, "version", None)
    return version is None or version.is_editable


class NodeInline(admin.TabularInline):
    model = Node
    fk_name = "version"
    fields = ["position", "key", "kind", "title"]
    extra = 0
    show_change_link = True

    def has_change_permission(self, request, obj=None) -> bool:
        return editable(obj) and super().has_change_permission(request, obj)

    def has_add_permission(self, request, obj=None) -> bool:
        return editable(obj) and super().has_add_permission(request, obj)

    def has_delete_permission(self, request, obj=None) -> bool:
        return editable(obj) and super().has_delete_permission(request, obj)


@admin.register(TreeVersion)
class TreeVersionAdmin(admin.ModelAdmin):
    list_display = ["territory", "number", "status", "published_at"]
    list_filter = ["territory", "status"]
    readonly_fields = ["status", "copied_from", "created_at", "created_by", "published_at",
                       "published_by", "validation"]  # fmt: skip
    inlines = [NodeInline]
    actions = ["check_versions", "publish_versions", "copy_versions"]

    def get_readonly_fields(self, request, obj=None):
        fields = list(super().get_readonly_fields(request, obj))
        if obj is not None and not obj.is_editable:
            fields += ["territory", "number", "start", "note"]
        return fields

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == "start":
            version_id = request.resolver_match.kwargs.get("object_id")
            kwargs["queryset"] = Node.objects.filter(version_id=version_id or 0)
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def has_delete_permission(self, request, obj=None) -> bool:
        return editable(obj) and super().has_delete_permission(request, obj)

    @admin.display(description=_("vérification"))
    def validation(self, obj: TreeVersion) -> str:
        if obj.pk is None:
            return ""
        errors = validate(load_tree(obj))
        return " ".join(e.message for e in errors) or str(_("Questionnaire valide."))

    @admin.action(description=_("Vérifier les versions choisies"))
    def check_versions(self, request: HttpRequest, queryset) -> None:
        for version in queryset:
            errors = validate(load_tree(version))
            if errors:
                for error in errors:
                    self.message_user(
                        request, f"v{version.number} : {error.message}", messages.ERROR
                    )
            else:
                self.message_user(request, _("Version %s valide.") % version.number)

    @admin.action(description=_("Publier la version choisie"))
    def publish_versions(self, request: HttpRequest, queryset) -> None:
        for version in queryset:
            try:
                publish(version, by=request.user)
            except (InvalidTree, VersionLocked) as error:
                self.message_user(request, " ".join(getattr(error, "messages", [str(error)])),
                                  messages.ERROR)  # fmt: skip
            else:
                self.message_user(request, _("Version %s publiée.") % version.number)

    @admin.action(description=_("Copier en brouillon"))
    def copy_versions(self, request: HttpRequest, queryset) -> None:
        for version in queryset:
            try:
                copy = copy_version(version, by=request.user)
            except DraftExists as error:
                self.message_user(request, str(error), messages.ERROR)
            else:
                self.message_user(request, _("Brouillon %s créé.") % copy.number)


class ChoiceInline(admin.StackedInline):
    model = Choice
    fk_name = "node"
    extra = 0
    fields = ["position", "key", "label", "help_text", "next", "numbers", "violence", "help",
              "public", "flags"]  # fmt: skip

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == "next":
            node = Node.objects.filter(pk=request.resolver_match.kwargs.get("object_id")).first()
            kwargs["queryset"] = Node.objects.filter(version_id=node.version_id if node else 0)
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def has_change_permission(self, request, obj=None) -> bool:
        return editable(obj) and super().has_change_permission(request, obj)

    def has_add_permission(self, request, obj=None) -> bool:
        return editable(obj) and super().has_add_permission(request, obj)

    def has_delete_permission(self, request, obj=None) -> bool:
        return editable(obj) and super().has_delete_permission(request, obj)


@admin.register(Node)
class NodeAdmin(admin.ModelAdmin):
    list_display = ["title", "key", "kind", "version"]
    list_filter = ["version__territory", "version", "kind"]
    search_fields = ["title", "key"]
    inlines = [ChoiceInline]

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == "next":
            node = Node.objects.filter(pk=request.resolver_match.kwargs.get("object_id")).first()
            if node is not None:
                kwargs["queryset"] = Node.objects.filter(version_id=node.version_id)
        if db_field.name == "version":
            kwargs["queryset"] = TreeVersion.objects.filter(status=TreeVersion.Status.DRAFT)
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def has_change_permission(self, request, obj=None) -> bool:
        return editable(obj) and super().has_change_permission(request, obj)

    def has_delete_permission(self, request, obj=None) -> bool:
        return editable(obj) and super().has_delete_permission(request, obj)


@admin.register(OrientationSettings)
class OrientationSettingsAdmin(SimpleHistoryAdmin):
    list_display = ["territory", "counts_enabled"]


@admin.register(ResultCount)
class ResultCountAdmin(admin.ModelAdmin):
    """Anonymous aggregates, read only."""

    list_display = ["month", "node", "count"]
    list_filter = ["month", "node__version__territory"]

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False
