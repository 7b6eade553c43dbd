"""Root URLs: the site's own pages, accounts (allauth), courses and the admin."""

from allauth.account.decorators import secure_admin_login
from django.apps import apps
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
# The benchmark's ceilings exist only where the benchmark app is installed (DJANGO_BENCHMARK).
if apps.is_installed("benchmark"):
    urlpatterns += [path("", include("benchmark.urls"))]
