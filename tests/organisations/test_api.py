import pytest
from django.test import Client

from ..factories import OrganisationFactory


@pytest.mark.django_db
def test_api_lists_organisations(client: Client) -> None:
    parent = OrganisationFactory(name="Library service", kind="library")
    OrganisationFactory(name="Harbour Library", kind="library", parent=parent)
    response = client.get("/api/v1/organisations/", {"kind": "library"})
    assert response.status_code == 200
    body = response.json()
    assert body["count"] == 2
    harbour = next(item for item in body["items"] if item["name"] == "Harbour Library")
    assert harbour["parent"] == "library-service"


@pytest.mark.django_db
def test_api_organisation_detail_and_404(client: Client) -> None:
    OrganisationFactory(name="Town Council")
    assert client.get("/api/v1/organisations/town-council").json()["kind"] == "council"
    assert client.get("/api/v1/organisations/nowhere").status_code == 404


@pytest.mark.django_db
def test_openapi_document_is_published(client: Client) -> None:
    document = client.get("/api/v1/openapi.json").json()
    assert document["info"]["title"] == "Fingerpost API"
    assert "/api/v1/organisations/" in document["paths"]


@pytest.mark.django_db
def test_api_rejects_bad_paging_with_a_clear_error(client: Client) -> None:
    response = client.get("/api/v1/organisations/", {"limit": "lots"})
    assert response.status_code == 422
    assert "detail" in response.json()
