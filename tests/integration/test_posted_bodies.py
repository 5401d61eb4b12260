"""A phone's JSON body that is not an object (a list, a string, a number) names no field: it is read as an empty
one, the same answer as `{}`, never a 500."""

from __future__ import annotations

from typing import Any

import pytest

NOT_OBJECTS = [[1], ["table", 2], "tekst", 5, 1.5, True]


@pytest.mark.parametrize("body", NOT_OBJECTS, ids=repr)
def test_a_join_with_a_json_body_that_is_not_an_object_joins_like_an_empty_one(
    app: Any, bijeenkomst: dict[str, Any], body: Any
) -> None:
    response = app.test_client().post(f"/j/{bijeenkomst['join_code']}", json=body)
    assert response.status_code == 200, response.data[:200]
    assert response.get_json()["ok"] is True


@pytest.mark.parametrize("body", NOT_OBJECTS, ids=repr)
def test_a_rejoin_with_a_json_body_that_is_not_an_object_is_a_wrong_code(
    app: Any, bijeenkomst: dict[str, Any], body: Any
) -> None:
    response = app.test_client().post(f"/j/{bijeenkomst['join_code']}/terug", json=body)
    assert response.status_code == 400, response.data[:200]
    assert response.get_json()["error"]["code"] == "rejoin_code_invalid"


def test_a_new_bijeenkomst_whose_title_is_null_is_refused_like_an_empty_title_not_named_none(
    app: Any, host_http: Any
) -> None:
    empty = host_http.post("/host/sessions", json={"title": ""})
    null = host_http.post("/host/sessions", json={"title": None})
    assert (null.status_code, null.get_json()) == (empty.status_code, empty.get_json()) == (400, null.get_json())
    assert [s.title for s in app.extensions["rode_draad"].repo.list_sessions()] == []


def test_a_new_bijeenkomst_with_a_json_body_that_is_not_an_object_is_refused_like_an_empty_one(
    app: Any, host_http: Any
) -> None:
    for body in NOT_OBJECTS:
        response = host_http.post("/host/sessions", json=body)
        assert response.status_code == 400, (body, response.data[:200])
    assert app.extensions["rode_draad"].repo.list_sessions() == []
