"""Residents' pages: how to borrow a device and what is free where, and the
private page of a borrower's own loans and holds (linked from every notice)."""

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone

from . import queries


def borrow(request: HttpRequest) -> HttpResponse:
    return render(
        request,
        "lending/public/borrow.html",
        {"availability": queries.availability()},
    )


def mine(request: HttpRequest, token: str) -> HttpResponse:
    borrower = queries.borrower_by_token(token)
    if borrower is None:
        raise Http404
    holds = [
        (hold, queries.queue_position(hold))
        for hold in queries.borrower_holds(borrower)
        if hold.status in ("waiting", "ready")
    ]
    response = render(
        request,
        "lending/public/mine.html",
        {
            "borrower": borrower,
            "loans": [loan for loan in queries.borrower_loans(borrower) if loan.status == "active"],
            "holds": holds,
            "today": timezone.localdate(),
        },
    )
    # A private link: never cached, never sent on as a referrer.
    response["Cache-Control"] = "private, no-store"
    response["Referrer-Policy"] = "no-referrer"
    return response
