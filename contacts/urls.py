from django.urls import path

from contacts import views

app_name = "contacts"

urlpatterns = [
    path("search/", views.global_search_view, name="search"),
    path("stakeholders/", views.person_list, name="person-list"),
    path("stakeholders/add/", views.person_create_view, name="person-create"),
    path("stakeholders/export/", views.person_export, name="person-export"),
    path("stakeholders/duplicates/", views.duplicates_view, name="duplicates"),
    path("stakeholders/merge/<str:kind>/", views.merge_view, name="merge"),
    path("stakeholders/segments/", views.segment_save_view, name="segment-save"),
    path("stakeholders/segments/<int:pk>/delete/", views.segment_delete_view, name="segment-delete"),
    path("stakeholders/source-changes/", views.source_change_list, name="source-changes"),
    path("stakeholders/source-changes/<int:pk>/", views.source_change_resolve_view, name="source-change-resolve"),
    path("stakeholders/import/", views.import_upload_view, name="import-upload"),
    path("stakeholders/import/<str:token>/", views.import_preview_view, name="import-preview"),
    path("stakeholders/<int:pk>/", views.person_detail_view, name="person-detail"),
    path("stakeholders/<int:pk>/edit/", views.person_edit_view, name="person-edit"),
    path("stakeholders/<int:pk>/successor/", views.person_successor_view, name="person-successor"),
    path("organizations/", views.organization_list, name="organization-list"),
    path("organizations/add/", views.organization_create_view, name="organization-create"),
    path("organizations/<int:pk>/", views.organization_detail_view, name="organization-detail"),
    path("organizations/<int:pk>/edit/", views.organization_edit_view, name="organization-edit"),
]
