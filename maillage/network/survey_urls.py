"""The URLs of the surveys of signatories, included by urls.py."""

urlpatterns: list = []
