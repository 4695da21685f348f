# PLACEHOLDER-DELETE-ME
from django.http import Http404


def event_ics_file(*a, **k):
    raise Http404


def events_feed(*a, **k):
    raise Http404
