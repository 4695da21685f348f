from django.urls import path

from . import board_views, conversation_views, resource_views, views

app_name = "network"

urlpatterns = [
    path("", views.home, name="home"),
    path("search/", views.search, name="search"),
    path("people/", views.people, name="people"),
    path("people/<slug:handle>/", views.person, name="person"),
    path("profile/", views.edit_profile, name="edit_profile"),
    path("emails/", views.choices, name="choices"),
    path("unsubscribe/<str:token>/", views.unsubscribe, name="unsubscribe"),
    path("organisations/<slug:slug>/offer/", views.organisation_offer, name="organisation_offer"),
    # Conversations
    path("topics/", conversation_views.topics, name="topics"),
    path("topics/new/", conversation_views.new_topic, name="new_topic"),
    path("topics/<slug:slug>/", conversation_views.topic, name="topic"),
    path("topics/<slug:slug>/follow/", conversation_views.follow, name="follow"),
    path("topics/<slug:slug>/posts/<int:pk>/reply/", conversation_views.reply, name="reply"),
    path("topics/<slug:slug>/posts/<int:pk>/edit/", conversation_views.edit_post, name="edit_post"),
    path("topics/<slug:slug>/posts/<int:pk>/report/", conversation_views.report, name="report"),
    path("reported/", conversation_views.reports, name="reports"),
    path("reported/<int:pk>/hide/", conversation_views.hide, name="hide"),
    path("reported/<int:pk>/show/", conversation_views.show, name="show"),
    # Resource library
    path("resources/", resource_views.resources, name="resources"),
    path("resources/new/", resource_views.new_resource, name="new_resource"),
    path("resources/<slug:slug>/", resource_views.resource, name="resource"),
    path("resources/<slug:slug>/edit/", resource_views.edit_resource, name="edit_resource"),
    path("resources/<slug:slug>/new-version/", resource_views.replace_file, name="replace_file"),
    path("resources/<slug:slug>/download/", resource_views.download, name="download"),
    path(
        "resources/<slug:slug>/download/<int:number>/",
        resource_views.download,
        name="download_version",
    ),
    # Shared initiatives and boards
    path("initiatives/", board_views.initiatives, name="initiatives"),
    path("initiatives/new/", board_views.new_initiative, name="new_initiative"),
    path("initiatives/<slug:slug>/", board_views.initiative, name="initiative"),
    path("initiatives/<slug:slug>/membership/", board_views.membership, name="membership"),
    path("initiatives/<slug:slug>/boards/new/", board_views.new_board, name="new_board"),
    path("initiatives/<slug:slug>/import/", board_views.import_board, name="import"),
    path(
        "initiatives/<slug:slug>/import/<int:pk>/",
        board_views.import_preview,
        name="import_preview",
    ),
    path("boards/<int:pk>/", board_views.board, name="board"),
    path("boards/<int:pk>/cards/new/", board_views.new_card, name="new_card"),
    path("boards/<int:pk>/lists/new/", board_views.new_list, name="new_list"),
    path("boards/<int:pk>/archived/", board_views.archived, name="archived"),
    path("boards/<int:pk>/history/", board_views.history, name="history"),
    path("boards/<int:pk>/export.<str:file_format>", board_views.export_board, name="export"),
    path("cards/<int:pk>/", board_views.card, name="card"),
    path("cards/<int:pk>/edit/", board_views.edit_card, name="edit_card"),
    path("cards/<int:pk>/move/", board_views.move_card, name="move_card"),
    path("cards/<int:pk>/archive/", board_views.archive_card, name="archive_card"),
    path("cards/<int:pk>/comments/", board_views.comment, name="comment"),
    path("cards/<int:pk>/checklist/", board_views.add_item, name="add_item"),
    path("cards/<int:pk>/checklist/<int:item>/", board_views.tick_item, name="tick_item"),
    path("cards/<int:pk>/links/", board_views.attach, name="attach"),
]
