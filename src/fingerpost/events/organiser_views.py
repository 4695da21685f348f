# PLACEHOLDER-DELETE-ME
from django.http import Http404


def attendees(*a, **k):
    raise Http404


def attendees_export(*a, **k):
    raise Http404


def check_in(*a, **k):
    raise Http404


def check_in_scan(*a, **k):
    raise Http404


def event_cancel(*a, **k):
    raise Http404


def event_copy(*a, **k):
    raise Http404


def event_create(*a, **k):
    raise Http404


def event_edit(*a, **k):
    raise Http404


def event_overview(*a, **k):
    raise Http404


def event_publish(*a, **k):
    raise Http404


def event_repeat(*a, **k):
    raise Http404


def feedback_export(*a, **k):
    raise Http404


def feedback_questions(*a, **k):
    raise Http404


def feedback_results(*a, **k):
    raise Http404


def manage_list(*a, **k):
    raise Http404


def questions(*a, **k):
    raise Http404


def waiting_list(*a, **k):
    raise Http404


def walk_in(*a, **k):
    raise Http404
