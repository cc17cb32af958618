from allauth.account.decorators import secure_admin_login
from django.conf.urls.i18n import i18n_patterns
from django.contrib import admin
from django.urls import include, path

from maillage.core.views import site_files
from maillage.core.views.public import healthz

# The admin keeps to administrators, who pass the second-factor check like everyone else. Its
# login page sends to the site's login (allauth: throttling, lockout, second factor); Django's
# own would open the admin with a password alone.
admin.site.site_header = "Maillage — administration"
admin.site.login = secure_admin_login(admin.site.login)

# French error pages on the site's layout (quick exit, emergency numbers); the 404 and 500 are
# Django's own views with the templates of maillage/templates/.
handler400 = "maillage.core.views.errors.bad_request"
handler403 = "maillage.core.views.errors.permission_denied"

urlpatterns = [
    path("healthz", healthz, name="healthz"),
    path("robots.txt", site_files.robots_txt, name="robots_txt"),
    path(".well-known/security.txt", site_files.security_txt, name="security_txt"),
    path("api/v1/", include("maillage.api.urls")),
]
urlpatterns += i18n_patterns(
    path("admin/", admin.site.urls),
    path("compte/", include("allauth.urls")),
    path("", include("maillage.directory.urls")),
    path("", include("maillage.orientation.urls")),
    path("", include("maillage.trainings.urls")),
    path("", include("maillage.prevention.urls")),
    path("", include("maillage.network.urls")),
    path("", include("maillage.evaluation.urls")),
    path("", include("maillage.orientation.printed_urls")),
    path("", include("maillage.core.urls")),
    prefix_default_language=False,
)
