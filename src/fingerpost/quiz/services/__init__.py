"""Every write of the quiz: the question bank and quizzes (`bank`), live
sessions (`live`) and self-assessments (`assessments`)."""

from .assessments import save_assessment, start_assessment, submit_assessment
from .bank import (
    change_quiz_order,
    copy_quiz,
    create_question,
    create_quiz,
    load_starter_bank,
    set_question_archived,
    update_question,
    update_quiz,
)
from .live import (
    answer,
    close_question,
    finish_session,
    hide_player,
    join_session,
    next_question,
    show_leaderboard,
    show_points_chart,
    start_session,
)

__all__ = [
    "answer",
    "change_quiz_order",
    "close_question",
    "copy_quiz",
    "create_question",
    "create_quiz",
    "finish_session",
    "hide_player",
    "join_session",
    "load_starter_bank",
    "next_question",
    "save_assessment",
    "set_question_archived",
    "show_leaderboard",
    "show_points_chart",
    "start_assessment",
    "start_session",
    "submit_assessment",
    "update_question",
    "update_quiz",
]
