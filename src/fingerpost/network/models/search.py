from django.contrib.postgres.search import SearchVectorField
from django.db import models


class SearchDocument(models.Model):
    """One thing search can find (a person, a post, a resource, a card),
    written by the services whenever the thing changes. On PostgreSQL
    `vector` holds its weighted full-text vector (GIN-indexed); on SQLite
    it stays empty and search matches words in `title` and `body`."""

    kind = models.CharField(max_length=10)
    key = models.PositiveBigIntegerField()
    title = models.CharField(max_length=500)
    body = models.TextField(blank=True)
    url = models.CharField(max_length=300)
    updated_at = models.DateTimeField()
    vector = SearchVectorField(null=True)

    class Meta:
        ordering = ["-updated_at", "-pk"]
        constraints = [models.UniqueConstraint(fields=["kind", "key"], name="search_document_once")]
        indexes = [models.Index(fields=["-updated_at", "-id"], name="search_recent")]

    def __str__(self) -> str:
        return str(self.title)
