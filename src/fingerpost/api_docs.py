"""The API reference as an ordinary GOV.UK page, built from the OpenAPI
document: it works without JavaScript and passes axe, which the interactive
explorer ninja ships does not (no page language, no main landmark, low
contrast, buttons inside links)."""

from typing import Any

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_safe

from fingerpost.api import api

METHODS = ("get", "post", "put", "patch", "delete")


def _type_of(schema: dict[str, Any]) -> str:
    if "$ref" in schema:
        return str(schema["$ref"]).rsplit("/", 1)[-1]
    if "anyOf" in schema:
        return " or ".join(_type_of(part) for part in schema["anyOf"] if part.get("type") != "null")
    if schema.get("type") == "array":
        return f"list of {_type_of(schema.get('items', {}))}"
    if "enum" in schema:
        return "one of " + ", ".join(str(value) for value in schema["enum"])
    return str(schema.get("format") or schema.get("type") or "any")


def _body_type(operation: dict[str, Any]) -> str:
    content = operation.get("requestBody", {}).get("content", {})
    for body in content.values():
        return _type_of(body.get("schema", {}))
    return ""


def _operations(schema: dict[str, Any]) -> list[dict[str, Any]]:
    sections: dict[str, list[dict[str, Any]]] = {}
    for path, item in schema["paths"].items():
        for method in METHODS:
            operation = item.get(method)
            if operation is None:
                continue
            tag = (operation.get("tags") or ["other"])[0]
            sections.setdefault(tag, []).append(
                {
                    "id": operation.get("operationId", f"{method}-{path}"),
                    "method": method.upper(),
                    "path": path,
                    "summary": operation.get("summary", ""),
                    "description": operation.get("description", ""),
                    "signed_in": bool(operation.get("security")),
                    "parameters": [
                        {
                            "name": p["name"],
                            "where": {"path": "in the path", "query": "in the query"}.get(
                                p["in"], p["in"]
                            ),
                            "type": _type_of(p.get("schema", {})),
                            "required": p.get("required", False),
                        }
                        for p in operation.get("parameters", [])
                    ],
                    "body": _body_type(operation),
                    "responses": [
                        (code, response.get("description", ""))
                        for code, response in operation.get("responses", {}).items()
                    ],
                }
            )
    return [{"tag": tag, "operations": ops} for tag, ops in sections.items()]


@require_safe
def api_reference(request: HttpRequest) -> HttpResponse:
    schema = api.get_openapi_schema()
    return render(
        request,
        "api_reference.html",
        {
            "info": schema["info"],
            "sections": _operations(schema),
            "schema_url": "/api/v1/openapi.json",
        },
    )
