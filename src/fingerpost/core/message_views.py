"""The staff page of emails and texts: what is waiting, what failed and why,
and a button to send a failed one again (core/outbox.py does the sending)."""

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods
from rules.contrib.views import permission_required

from . import audit, outbox, registry
from .models import AuditAction, Failure, MessageStatus, OutboxMessage
from .views import query_without
from .worker import alive_workers

PAGE_SIZE = 50
SHOWING = {
    "attention": "Could not be sent",
    "waiting": "Waiting or being tried again",
    "sent": "Sent",
    "all": "All",
}


class ShowForm(forms.Form):
    show = forms.ChoiceField(
        label="Show", choices=list(SHOWING.items()), required=False, initial="attention"
    )


class MessageActionForm(forms.Form):
    action = forms.ChoiceField(choices=[("resend", "Send again"), ("dealt_with", "Dealt with")])


class ResendAllForm(forms.Form):
    confirm = forms.BooleanField(required=True)


def _shown(show: str) -> QuerySet[OutboxMessage]:
    everything = OutboxMessage.objects.all()
    if show == "attention":
        return everything.filter(status=MessageStatus.FAILED, dealt_with_at__isnull=True)
    if show == "waiting":
        return everything.filter(status__in=[MessageStatus.PENDING, MessageStatus.SENDING])
    if show == "sent":
        return everything.filter(status=MessageStatus.SENT)
    return everything


def _may_resend(request: HttpRequest) -> bool:
    return bool(request.user.has_perm("core.resend_messages"))


def about_url(message: OutboxMessage) -> str:
    """Where the record a message is about can be seen, when there is a page for it."""
    return registry.record_page(message.about_type, message.about_reference)


@never_cache
@login_required
@permission_required("core.view_messages", raise_exception=True)
@require_http_methods(["GET", "POST"])
def message_list(request: HttpRequest) -> HttpResponse:
    if request.method == "POST":
        if not _may_resend(request):
            return redirect("core:messages")
        form = ResendAllForm(request.POST)
        if form.is_valid():
            count = 0
            for message in OutboxMessage.objects.filter(
                status=MessageStatus.FAILED,
                failure=Failure.TEMPORARY,
                dealt_with_at__isnull=True,
                content_wiped_at__isnull=True,
            ):
                outbox.resend(message=message, by=request.user)
                count += 1
            messages.success(
                request, f"{count} message{'' if count == 1 else 's'} will be sent again."
            )
        return redirect("core:messages")
    show_form = ShowForm(request.GET)
    show = show_form.cleaned_data["show"] if show_form.is_valid() else "attention"
    show = show or "attention"
    page = Paginator(_shown(show).order_by("-created_at", "-pk"), PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    audit.record(
        actor=request.user, action=AuditAction.VIEW, subject_type="messages", reference=show
    )
    rows = [(message, about_url(message)) for message in page.object_list]
    return render(
        request,
        "core/messages/list.html",
        {
            "show_form": show_form,
            "show": show,
            "showing": SHOWING[show],
            "page": page,
            "rows": rows,
            "summary": outbox.delivery_summary(),
            "workers": alive_workers(),
            "query": query_without(request, "page"),
            "resendable": OutboxMessage.objects.filter(
                status=MessageStatus.FAILED,
                failure=Failure.TEMPORARY,
                dealt_with_at__isnull=True,
                content_wiped_at__isnull=True,
            ).count(),
        },
    )


@never_cache
@login_required
@permission_required("core.view_messages", raise_exception=True)
@require_http_methods(["GET", "POST"])
def message_detail(request: HttpRequest, reference: str) -> HttpResponse:
    message = get_object_or_404(
        OutboxMessage.objects.select_related("resent_by"), reference=reference
    )
    if request.method == "POST":
        form = MessageActionForm(request.POST)
        if not form.is_valid() or not _may_resend(request):
            messages.error(request, "Something went wrong. Try again.")
            return redirect("core:message", reference=message.reference)
        try:
            if form.cleaned_data["action"] == "resend":
                outbox.resend(message=message, by=request.user)
                messages.success(request, "The message will be sent again in a moment.")
            else:
                outbox.mark_dealt_with(message=message, by=request.user)
                messages.success(request, "Marked as dealt with.")
        except outbox.DeliveryError as error:
            messages.error(request, str(error))
        return redirect("core:message", reference=message.reference)
    audit.record(
        actor=request.user,
        action=AuditAction.VIEW,
        subject_type="message",
        reference=message.reference,
    )
    return render(
        request,
        "core/messages/detail.html",
        {"message": message, "about_url": about_url(message)},
    )
