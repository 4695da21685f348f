"""Teams' self-assessments against the 14 points, and organisers' anonymous comparison."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods, require_safe
from rules.contrib.views import permission_required

from fingerpost.accounts.roles import Role, roles_of
from fingerpost.core.disclosure import suppress
from fingerpost.core.errors import call_with_form
from fingerpost.core.views import signed_in_user
from fingerpost.organisations.models import Organisation

from . import queries, services, standard
from .assessment_forms import AssessmentForm, StartAssessmentForm
from .models import AssessmentStatus, Rating

ASSESS = "quiz.assess_service"


def _organisations(request: HttpRequest) -> list[tuple[int, str]]:
    ids = roles_of(signed_in_user(request)).organisations_for(Role.MEMBER)
    return list(Organisation.objects.filter(pk__in=ids).order_by("name").values_list("pk", "name"))


@login_required
@permission_required(ASSESS, raise_exception=True)
@require_http_methods(["GET", "HEAD", "POST"])
def assessment_list(request: HttpRequest) -> HttpResponse:
    organisations = _organisations(request)
    form = StartAssessmentForm(
        request.POST if request.method == "POST" else None, organisations=organisations
    )
    if request.method == "POST" and form.is_valid():
        assessment = call_with_form(
            form,
            services.start_assessment,
            by=signed_in_user(request),
            organisation_id=form.cleaned_data["organisation"],
            service_name=form.cleaned_data["service_name"],
        )
        if assessment is not None:
            return redirect("quiz:assessment", assessment_id=assessment.pk)
    return render(
        request,
        "quiz/assess/list.html",
        {"form": form, "assessments": list(queries.assessment_list_for(signed_in_user(request)))},
        status=400 if form.errors else 200,
    )


@login_required
@permission_required(ASSESS, raise_exception=True)
@require_http_methods(["GET", "HEAD", "POST"])
def assessment(request: HttpRequest, assessment_id: int) -> HttpResponse:
    found = queries.assessment_detail(signed_in_user(request), assessment_id)
    if found is None:
        raise Http404
    if found.status == AssessmentStatus.SUBMITTED:
        return render(request, "quiz/assess/result.html", _result_context(found))
    form = AssessmentForm(request.POST if request.method == "POST" else None, assessment=found)
    if request.method == "POST" and form.is_valid():
        by = signed_in_user(request)
        saved = call_with_form(
            form, services.save_assessment, by=by, assessment_id=found.pk, ratings=form.ratings
        )
        if saved is not None and "submit" in request.POST:
            submitted = call_with_form(
                form, services.submit_assessment, by=by, assessment_id=found.pk
            )
            if submitted is not None:
                messages.success(request, "Assessment submitted")
                return redirect("quiz:assessment", assessment_id=found.pk)
        elif saved is not None:
            messages.success(request, "Draft saved")
            return redirect("quiz:assessment", assessment_id=found.pk)
    return render(
        request,
        "quiz/assess/form.html",
        {"form": form, "assessment": found},
        status=400 if form.errors else 200,
    )


def _result_context(found: object) -> dict[str, object]:
    history = queries.service_history(found)  # type: ignore[arg-type]
    labels = dict(Rating.choices)
    rows = []
    ratings = {r.point: r for r in found.ratings.all()}  # type: ignore[attr-defined]
    for point, title in standard.points().items():
        row = ratings.get(point)
        rows.append(
            {
                "point": point,
                "title": title,
                "rating": labels.get(row.rating, "") if row else "",
                "rating_value": row.rating if row else "",
                "evidence": row.evidence if row else "",
                "actions": row.actions if row else "",
                "history": [
                    labels.get({r.point: r.rating for r in h.ratings.all()}.get(point, ""), "")
                    for h in history
                ],
            }
        )
    summary = {value: sum(1 for r in rows if r["rating_value"] == value) for value in Rating.values}
    return {
        "assessment": found,
        "rows": rows,
        "history": history,
        "summary": [(labels[v], summary[v]) for v in Rating.values],
    }


@login_required
@permission_required("quiz.compare_assessments", raise_exception=True)
@require_safe
def comparison(request: HttpRequest) -> HttpResponse:
    points, services_total, organisations_total = queries.comparison_across_organisations()
    rows = [
        {
            "point": p.point,
            "title": p.title,
            "figures": [suppress(p.counts[value], str(label)) for value, label in Rating.choices],
        }
        for p in points
    ]
    return render(
        request,
        "quiz/assess/comparison.html",
        {
            "rows": rows,
            "headings": [label for _, label in Rating.choices],
            "services_total": services_total,
            "organisations_total": organisations_total,
        },
    )
