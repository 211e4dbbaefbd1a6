from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin

from secretariat.accounts.models import (
    Body,
    Delegation,
    DelegationAlias,
    DelegationEmailDomain,
    Forum,
    User,
)


class AliasInline(admin.TabularInline):
    model = DelegationAlias
    extra = 1


@admin.register(Delegation)
class DelegationAdmin(admin.ModelAdmin):
    list_display = ("code", "name_en", "name_ru", "name_kk", "kind")
    list_filter = ("kind",)
    search_fields = ("code", "name_en", "name_ru", "name_kk", "aliases__alias")
    inlines = [AliasInline]


@admin.register(Body)
class BodyAdmin(admin.ModelAdmin):
    list_display = ("code", "name_en", "reports_to")
    filter_horizontal = ("members",)


@admin.register(Forum)
class ForumAdmin(admin.ModelAdmin):
    list_display = ("short_name", "name_en")


@admin.register(User)
class UserAdmin(BaseUserAdmin):
    list_display = ("username", "email", "role", "delegation", "is_active")
    list_filter = ("role", "delegation", "is_active")
    fieldsets = (
        *(BaseUserAdmin.fieldsets or ()),
        ("Secretariat", {"fields": ("role", "delegation", "language")}),
    )


@admin.register(DelegationEmailDomain)
class DelegationEmailDomainAdmin(admin.ModelAdmin):
    """Single sign-on: which e-mail domain belongs to which delegation."""

    list_display = ("domain", "delegation")
    list_select_related = ("delegation",)
    search_fields = ("domain", "delegation__code")
    autocomplete_fields = ("delegation",)
