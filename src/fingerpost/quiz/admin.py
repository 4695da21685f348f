from django.contrib import admin

from .models import Choice, LiveSession, Question, Quiz


class ChoiceInline(admin.TabularInline):
    model = Choice
    extra = 0


@admin.register(Question)
class QuestionAdmin(admin.ModelAdmin):
    list_display = ["text", "point", "archived"]
    list_filter = ["point", "archived"]
    inlines = [ChoiceInline]


@admin.register(Quiz)
class QuizAdmin(admin.ModelAdmin):
    list_display = ["title", "seconds_per_question", "created_at"]


@admin.register(LiveSession)
class LiveSessionAdmin(admin.ModelAdmin):
    list_display = ["title", "code", "phase", "created_at"]
    readonly_fields = ["question_ids", "version"]
