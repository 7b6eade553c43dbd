from django.urls import path

from accounts import views

app_name = "accounts"

urlpatterns = [
    path("my-data/", views.my_data, name="my-data"),
    path("my-data/download/", views.my_data_download, name="my-data-download"),
    path("delete/", views.account_delete_view, name="delete"),
]
