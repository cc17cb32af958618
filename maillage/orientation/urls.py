"""The on-screen orientation guide, public and professional."""

app_name = "orientation"
urlpatterns: list = []
