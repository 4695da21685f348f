"""The person's own API tokens: make one (shown once), see when each was made
and last used, revoke them one by one."""

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_POST
from rules.contrib.views import permission_required

from fingerpost.core.api_auth import TOKEN_MAX_AGE, issue_api_token, revoke_api_token

from .models import ApiToken, User


class NewTokenForm(forms.Form):
    name = forms.CharField(
        label="Name the token",
        help_text="Say where it is used, so you know which to revoke. For example: "
        "'Contact centre referrals'.",
        max_length=100,
        error_messages={"required": "Enter a name for the token"},
    )


def _user(request: HttpRequest) -> User:
    user = request.user
    assert isinstance(user, User)
    return user


@never_cache
@login_required
@permission_required("accounts.use_api", raise_exception=True)
@require_http_methods(["GET", "POST"])
def api_tokens(request: HttpRequest) -> HttpResponse:
    user = _user(request)
    form = NewTokenForm(request.POST if request.method == "POST" else None)
    new_token = None
    if request.method == "POST" and form.is_valid():
        # Shown on this page only: never stored, never shown again.
        new_token = issue_api_token(user, name=form.cleaned_data["name"])
        form = NewTokenForm()
    tokens = ApiToken.objects.filter(user=user).order_by("revoked_at", "-created_at")
    return render(
        request,
        "accounts/api_tokens.html",
        {"form": form, "tokens": tokens, "new_token": new_token, "days": TOKEN_MAX_AGE.days},
        status=400 if form.errors else 200,
    )


@login_required
@require_POST
def revoke_token(request: HttpRequest, token_id: int) -> HttpResponse:
    if revoke_api_token(user=_user(request), token_id=token_id):
        messages.success(request, "Token revoked: it no longer works")
    else:
        messages.error(request, "That token is not yours or is already revoked")
    return redirect("accounts:api_tokens")
