"""Topics, posts and replies, reporting a post, and the organisers' page of
reported posts."""

from __future__ import annotations

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods, require_POST, require_safe
from rules.contrib.views import permission_required

from fingerpost.core.errors import call_with_form, refusals_as_messages, refused_page_status
from fingerpost.core.views import signed_in_user

from . import queries
from .access import members_only, page_of
from .forms import EditPostForm, PostForm, ReasonForm, TopicForm
from .models import Post, Topic
from .services import conversations

POSTS_PAGE_SIZE = 20


def _topic(slug: str) -> Topic:
    found = queries.topic(slug)
    if found is None:
        raise Http404
    return found


def _post(topic: Topic, pk: int) -> Post:
    found = queries.post_in(topic, pk)
    if found is None:
        raise Http404
    return found


@require_safe
@members_only
def topics(request: HttpRequest) -> HttpResponse:
    discipline = request.GET.get("discipline", "")
    page = page_of(queries.topics(discipline=discipline), request)
    return render(
        request,
        "network/topics.html",
        {
            "page": page,
            "followed": queries.followed_topic_ids(signed_in_user(request)),
            "disciplines": list(queries.disciplines()),
            "discipline": discipline,
            "query": f"discipline={discipline}" if discipline else "",
        },
    )


@require_http_methods(["GET", "POST"])
@members_only
def new_topic(request: HttpRequest) -> HttpResponse:
    form = TopicForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        topic = call_with_form(
            form, conversations.create_topic, by=signed_in_user(request), **form.cleaned_data
        )
        if topic is not None:
            messages.success(
                request, f"The topic “{topic.title}” is started. Write the first post."
            )
            return redirect(topic.get_absolute_url())
    return render(
        request, "network/topic_form.html", {"form": form}, status=400 if form.errors else 200
    )


def _topic_page(
    request: HttpRequest, topic: Topic, form: PostForm, status: int = 200
) -> HttpResponse:
    user = signed_in_user(request)
    page = page_of(queries.posts_in(topic, user), request, POSTS_PAGE_SIZE)
    editable = {
        p.pk
        for post in page
        for p in [post, *post.replies.all()]
        if conversations.can_still_edit(p, user)
    }
    return render(
        request,
        "network/topic.html",
        {
            "topic": topic,
            "page": page,
            "form": form,
            "following": queries.follows(topic, user),
            "editable": editable,
            "moderator": user.has_perm("network.moderate"),
        },
        status=status,
    )


@require_http_methods(["GET", "POST"])
@members_only
def topic(request: HttpRequest, slug: str) -> HttpResponse:
    found = _topic(slug)
    form = PostForm(request.POST or None)
    if request.method == "POST":
        if form.is_valid():
            post = call_with_form(
                form,
                conversations.create_post,
                topic=found,
                by=signed_in_user(request),
                body=form.cleaned_data["body"],
                link=form.cleaned_data["link"],
                resource=form.cleaned_data["resource"],
            )
            if post is not None:
                messages.success(request, "Your post is published.")
                return redirect(post.get_absolute_url())
        return _topic_page(request, found, form, refused_page_status(form))
    return _topic_page(request, found, form)


@require_http_methods(["GET", "POST"])
@members_only
def reply(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    found = _topic(slug)
    parent = _post(found, pk)
    form = PostForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        post = call_with_form(
            form,
            conversations.create_post,
            topic=found,
            by=signed_in_user(request),
            body=form.cleaned_data["body"],
            link=form.cleaned_data["link"],
            resource=form.cleaned_data["resource"],
            parent=parent,
        )
        if post is not None:
            messages.success(request, "Your reply is published.")
            return redirect(post.get_absolute_url())
    status = refused_page_status(form) if form.errors else 200
    return render(
        request,
        "network/reply.html",
        {"topic": found, "parent": parent, "form": form},
        status=status,
    )


@require_http_methods(["GET", "POST"])
@members_only
def edit_post(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    found = _topic(slug)
    post = _post(found, pk)
    user = signed_in_user(request)
    form = EditPostForm(request.POST or None, initial={"body": post.body, "link": post.link})
    if request.method == "POST" and form.is_valid():
        saved = call_with_form(
            form, conversations.edit_post, post=post, by=user, **form.cleaned_data
        )
        if saved is not None:
            messages.success(request, "Your post is changed.")
            return redirect(saved.get_absolute_url())
    if request.method == "GET" and not conversations.can_still_edit(post, user):
        with refusals_as_messages(request):
            conversations.edit_post(post=post, by=user, body=post.body, link=post.link)
        return redirect(post.get_absolute_url())
    status = refused_page_status(form) if form.errors else 200
    return render(
        request,
        "network/edit_post.html",
        {"topic": found, "post": post, "form": form},
        status=status,
    )


@require_POST
@members_only
def follow(request: HttpRequest, slug: str) -> HttpResponse:
    found = _topic(slug)
    user = signed_in_user(request)
    if request.POST.get("follow") == "no":
        conversations.unfollow_topic(topic=found, by=user)
        messages.success(request, f"You no longer follow “{found.title}”.")
    else:
        conversations.follow_topic(topic=found, by=user)
        messages.success(request, f"You follow “{found.title}”.")
    return redirect(found.get_absolute_url())


@require_http_methods(["GET", "POST"])
@members_only
def report(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    found = _topic(slug)
    post = _post(found, pk)
    form = ReasonForm(request.POST or None)
    form.fields["reason"].label = "Why should this post not be there?"
    if request.method == "POST" and form.is_valid():
        done = call_with_form(
            form,
            conversations.report_post,
            post=post,
            by=signed_in_user(request),
            reason=form.cleaned_data["reason"],
        )
        if done is not None:
            messages.success(request, "Thank you. The organisers will look at the post.")
            return redirect(post.get_absolute_url())
    status = refused_page_status(form) if form.errors else 200
    return render(
        request, "network/report.html", {"topic": found, "post": post, "form": form}, status=status
    )


@require_safe
@members_only
@permission_required("network.moderate", raise_exception=True)
def reports(request: HttpRequest) -> HttpResponse:
    page = page_of(queries.reported_posts(), request)
    return render(request, "network/reports.html", {"page": page})


@require_http_methods(["GET", "POST"])
@members_only
@permission_required("network.moderate", raise_exception=True)
def hide(request: HttpRequest, pk: int) -> HttpResponse:
    post = queries.post_for_moderation(pk)
    if post is None:
        raise Http404
    form = ReasonForm(request.POST or None)
    form.fields["reason"].label = "Why are you hiding this post?"
    form.fields["reason"].help_text = "Members see this reason in place of the post."
    if request.method == "POST" and form.is_valid():
        done = call_with_form(
            form,
            conversations.hide_post,
            post=post,
            by=signed_in_user(request),
            reason=form.cleaned_data["reason"],
        )
        if done is not None:
            messages.success(request, "The post is hidden.")
            return redirect(post.get_absolute_url())
    status = refused_page_status(form) if form.errors else 200
    return render(request, "network/hide.html", {"post": post, "form": form}, status=status)


@require_POST
@members_only
@permission_required("network.moderate", raise_exception=True)
def show(request: HttpRequest, pk: int) -> HttpResponse:
    post = queries.post_for_moderation(pk)
    if post is None:
        raise Http404
    conversations.show_post(post=post, by=signed_in_user(request))
    messages.success(request, "The post is shown again and its reports are dealt with.")
    return redirect("network:reports")
