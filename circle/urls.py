"""Root URLs: the site's own pages, accounts (allauth), courses and the admin."""

from allauth.account.decorators import secure_admin_login
from django.conf import settings
from django.contrib import admin
from django.urls import include, path
from django.utils.translation import gettext_lazy as _

from circle import theme, views

# The admin logs in through allauth, so its login is rate-limited like every other.
admin.site.login = secure_admin_login(admin.site.login)
admin.site.site_header = _("Circle course administration")
admin.site.site_title = _("Circle course admin")

site_pages = [
    path("", views.home, name="home"),
    path("about/", views.about, name="about"),
    path("health/", views.health, name="health"),
    path("appearance/", theme.choose, name="theme"),
]
if settings.BENCH_CEILING:
    site_pages += [
        path("bench/ceiling/", views.ceiling, name="ceiling"),
        path("bench/ceiling/signed-in/", views.ceiling_signed_in, name="ceiling-signed-in"),
    ]

handler403 = "circle.views.forbidden"
handler500 = "circle.views.server_error"

urlpatterns = [
    path("", include((site_pages, "circle"))),
    path("accounts/", include("allauth.urls")),
    path("", include("accounts.urls")),
    path("", include("courses.urls")),
    path("", include("reminders.urls")),
    path("", include("outcomes.urls")),
    path("admin/", admin.site.urls),
]
