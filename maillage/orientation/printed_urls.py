"""The printed guide (PDF), per territory and per commune."""

app_name = "printed_guide"
urlpatterns: list = []
