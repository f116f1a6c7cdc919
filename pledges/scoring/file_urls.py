"""The scoring files: the table as Excel (export, import) and the finalised ranking as Excel, PDF and Word."""

urlpatterns: list = []
