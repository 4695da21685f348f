"""Organisers' pages: the question bank, quizzes, the presenter's screen and results."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.cache import patch_cache_control
from django.views.decorators.http import require_http_methods, require_POST, require_safe
from rules.contrib.views import permission_required

from fingerpost.core import charts, links, spreadsheets
from fingerpost.core.disclosure import Figure
from fingerpost.core.errors import call_with_form, refusals_as_messages
from fingerpost.core.views import signed_in_user

from . import queries, records, screens, services, standard
from .models import LiveSession
from .organiser_forms import QuestionForm, QuizForm
from .qr import qr_svg

QUESTIONS = "quiz.manage_questions"
RUN = "quiz.run_quiz"


# ------------------------------------------------------------ question bank


@login_required
@permission_required(QUESTIONS, raise_exception=True)
@require_safe
def question_list(request: HttpRequest) -> HttpResponse:
    point = request.GET.get("point", "")
    point_number = int(point) if point.isdigit() and int(point) in standard.points() else None
    archived = request.GET.get("archived") == "1"
    return render(
        request,
        "quiz/manage/questions.html",
        {
            "questions": list(queries.question_bank(point=point_number, archived=archived)),
            "points": standard.point_choices(),
            "point": point_number,
            "archived": archived,
        },
    )


@login_required
@permission_required(QUESTIONS, raise_exception=True)
@require_http_methods(["GET", "HEAD", "POST"])
def question_new(request: HttpRequest) -> HttpResponse:
    form = QuestionForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        question = call_with_form(
            form,
            services.create_question,
            by=signed_in_user(request),
            text=form.cleaned_data["text"],
            point=form.cleaned_data["point"],
            explanation=form.cleaned_data["explanation"],
            choices=form.choices,
        )
        if question is not None:
            messages.success(request, "Question added to the bank")
            return redirect("quiz:questions")
    return render(
        request,
        "quiz/manage/question_form.html",
        {"form": form},
        status=400 if form.errors else 200,
    )


@login_required
@permission_required(QUESTIONS, raise_exception=True)
@require_http_methods(["GET", "HEAD", "POST"])
def question_edit(request: HttpRequest, question_id: int) -> HttpResponse:
    question = queries.question(question_id)
    if question is None:
        raise Http404
    if request.method == "POST":
        form = QuestionForm(request.POST)
        if form.is_valid():
            saved = call_with_form(
                form,
                services.update_question,
                by=signed_in_user(request),
                question_id=question.pk,
                text=form.cleaned_data["text"],
                point=form.cleaned_data["point"],
                explanation=form.cleaned_data["explanation"],
                choices=form.choices,
            )
            if saved is not None:
                messages.success(request, "Question saved")
                return redirect("quiz:questions")
    else:
        form = QuestionForm(initial=QuestionForm.initial_for(question))
    return render(
        request,
        "quiz/manage/question_form.html",
        {"form": form, "question": question},
        status=400 if form.errors else 200,
    )


@login_required
@permission_required(QUESTIONS, raise_exception=True)
@require_POST
def question_archive(request: HttpRequest, question_id: int) -> HttpResponse:
    archived = request.POST.get("archived", "1") == "1"
    with refusals_as_messages(request):
        services.set_question_archived(
            by=signed_in_user(request), question_id=question_id, archived=archived
        )
        messages.success(request, "Question archived" if archived else "Question restored")
    return redirect("quiz:questions")


# ------------------------------------------------------------ quizzes


@login_required
@permission_required(RUN, raise_exception=True)
@require_safe
def manage(request: HttpRequest) -> HttpResponse:
    return render(
        request,
        "quiz/manage/list.html",
        {
            "quizzes": list(queries.quiz_list()),
            "sessions": list(queries.session_list_for(signed_in_user(request))[:20]),
        },
    )


def _quiz_form_page(request: HttpRequest, quiz_id: int | None) -> HttpResponse:
    # None is a new quiz; any id, 0 included, must name one.
    quiz = queries.quiz_detail(quiz_id) if quiz_id is not None else None
    if quiz_id is not None and quiz is None:
        raise Http404
    if request.method == "POST":
        form = QuizForm(request.POST)
        if form.is_valid():
            data = form.cleaned_data
            arguments = {
                "by": signed_in_user(request),
                "title": data["title"],
                "seconds_per_question": data["seconds_per_question"],
                "question_ids": data["questions"],
            }
            if quiz is not None:
                # Ticking boxes lists questions in the bank's order: the quiz
                # keeps its own order for those it had, new ones go last.
                had = [item.question_id for item in quiz.items.all()]
                chosen = list(data["questions"])
                arguments["question_ids"] = [q for q in had if q in chosen] + [
                    q for q in chosen if q not in had
                ]
            if quiz is None:
                saved = call_with_form(form, services.create_quiz, **arguments)
            else:
                saved = call_with_form(form, services.update_quiz, quiz_id=quiz.pk, **arguments)
            if saved is not None:
                messages.success(request, "Quiz saved")
                return redirect("quiz:manage")
    elif quiz is not None:
        form = QuizForm(
            initial={
                "title": quiz.title,
                "seconds_per_question": quiz.seconds_per_question,
                "questions": [item.question_id for item in quiz.items.all()],
            }
        )
    else:
        form = QuizForm()
    return render(
        request,
        "quiz/manage/quiz_form.html",
        {"form": form, "quiz": quiz},
        status=400 if form.errors else 200,
    )


@login_required
@permission_required(RUN, raise_exception=True)
@require_http_methods(["GET", "HEAD", "POST"])
def quiz_new(request: HttpRequest) -> HttpResponse:
    return _quiz_form_page(request, None)


@login_required
@permission_required(RUN, raise_exception=True)
@require_http_methods(["GET", "HEAD", "POST"])
def quiz_edit(request: HttpRequest, quiz_id: int) -> HttpResponse:
    return _quiz_form_page(request, quiz_id)


@login_required
@permission_required(RUN, raise_exception=True)
@require_POST
def quiz_order(request: HttpRequest, quiz_id: int, question_id: int, action: str) -> HttpResponse:
    """Move a question up or down the quiz, or take it out (forms, so no
    JavaScript is needed)."""
    with refusals_as_messages(request):
        services.change_quiz_order(
            by=signed_in_user(request), quiz_id=quiz_id, question_id=question_id, action=action
        )
        messages.success(request, "Question removed" if action == "remove" else "Order saved")
    return redirect(reverse("quiz:quiz_edit", args=[quiz_id]) + "#order")


@login_required
@permission_required(RUN, raise_exception=True)
@require_POST
def quiz_copy(request: HttpRequest, quiz_id: int) -> HttpResponse:
    copy = services.copy_quiz(by=signed_in_user(request), quiz_id=quiz_id)
    messages.success(request, f'Quiz copied as "{copy.title}"')
    return redirect("quiz:quiz_edit", quiz_id=copy.pk)


@login_required
@permission_required(RUN, raise_exception=True)
@require_POST
def quiz_start(request: HttpRequest, quiz_id: int) -> HttpResponse:
    with refusals_as_messages(request):
        session = services.start_session(by=signed_in_user(request), quiz_id=quiz_id)
        return redirect("quiz:present", code=session.code)
    return redirect("quiz:manage")


# ------------------------------------------------------------ presenting


def _session(request: HttpRequest, code: str) -> LiveSession:
    session = queries.sessions_run_by(signed_in_user(request)).filter(code=code).first()
    if session is None:
        raise Http404
    return session


@login_required
@permission_required(RUN, raise_exception=True)
@require_safe
def present(request: HttpRequest, code: str) -> HttpResponse:
    session = _session(request, code)
    context = screens.presenter(session)
    # The site's one address: phones in the room cannot reach the "localhost"
    # a presenter's laptop may have opened the page with.
    join_address = links.absolute_url(reverse("quiz:join"))
    join_url = f"{join_address}?code={code}"
    context.update(
        {
            "join_url": join_url,
            "join_address": join_address,
            "qr": qr_svg(join_url) if context["phase"] == "lobby" else "",
            "state_url": reverse("quiz:present_state", args=[code]),
            "live_tag": screens.presenter_tag(session, context),
        }
    )
    if context.get("points"):
        context["chart"] = _points_chart(context["points"])
    response = render(request, "quiz/present/present.html", context)
    patch_cache_control(response, no_store=True, private=True)
    return response


@login_required
@permission_required(RUN, raise_exception=True)
@require_safe
def present_state(request: HttpRequest, code: str) -> HttpResponse:
    session = _session(request, code)
    context = screens.presenter(session)
    tag = screens.presenter_tag(session, context)
    etag = f'"{tag}"'
    if request.headers.get("If-None-Match") == etag:
        response = HttpResponse(status=304)
    else:
        response = JsonResponse(
            {"tag": tag, "phase": context["phase"], "remaining_ms": context["remaining_ms"]}
        )
    response["ETag"] = etag
    patch_cache_control(response, no_cache=True, private=True)
    return response


PRESENTER_ACTIONS = {
    "next": services.next_question,
    "close": services.close_question,
    "leaderboard": services.show_leaderboard,
    "finish": services.finish_session,
}


@login_required
@permission_required(RUN, raise_exception=True)
@require_POST
def present_action(request: HttpRequest, code: str, action: str) -> HttpResponse:
    session = _session(request, code)
    by = signed_in_user(request)
    with refusals_as_messages(request):
        if action in PRESENTER_ACTIONS:
            PRESENTER_ACTIONS[action](by=by, session_id=session.pk)
        elif action == "chart":
            services.show_points_chart(
                by=by, session_id=session.pk, shown=request.POST.get("shown") == "1"
            )
        elif action == "hide":
            player = request.POST.get("player", "")
            if not player.isdigit():
                raise Http404
            services.hide_player(by=by, session_id=session.pk, player_id=int(player))
        else:
            raise Http404
    return redirect("quiz:present", code=code)


# ------------------------------------------------------------ results


def _points_chart(points: list[queries.PointResult]) -> charts.Chart:
    return charts.bar_chart(
        figures=[Figure(f"{p.point}. {p.title}", p.percent_right) for p in points],
        title="Answers right by Service Standard point (per cent)",
        description="Each bar is the share of the room's answers that were right, "
        "weakest point first. The numbers are in the table.",
        chart_id="quiz-points",
    )


@login_required
@permission_required(RUN, raise_exception=True)
@require_safe
def results(request: HttpRequest, code: str) -> HttpResponse:
    session = _session(request, code)
    points = queries.results_by_point(session)
    return render(
        request,
        "quiz/manage/results.html",
        {
            "session": session,
            "players": list(queries.scored_players(session)),
            "questions": queries.results_by_question(session),
            "points": points,
            "chart": _points_chart(points) if points else None,
        },
    )


@login_required
@permission_required(RUN, raise_exception=True)
@require_safe
def results_csv(request: HttpRequest, code: str, fmt: str = "csv") -> HttpResponse:
    """Every answer of the session, as CSV or XLSX."""
    session = _session(request, code)
    records.record(
        actor=signed_in_user(request),
        action="quiz.results_downloaded",
        subject_type="quiz_session",
        reference=session.code,
        detail=fmt,
    )
    rows = (
        (
            a.player.shown_name,
            a.position + 1,
            a.question.point,
            a.question.text,
            a.choice.text,
            "yes" if a.correct else "no",
            a.points,
            round(a.elapsed_ms / 1000, 1),
        )
        for a in queries.answers_for_export(session)
    )
    return spreadsheets.spreadsheet_response(
        fmt,
        filename=f"quiz-{session.code}-answers",
        header=[
            "Player",
            "Question",
            "Service Standard point",
            "Question text",
            "Answer",
            "Right",
            "Points",
            "Seconds",
        ],
        rows=rows,
    )
