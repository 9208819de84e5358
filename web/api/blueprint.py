"""The API's Blueprint: flask-smorest's, with a JSON body reader that refuses what the
database or an export could not hold, as a 4xx naming the field instead of a 500 later.

Python's JSON reader accepts text that is valid JSON but not valid Unicode text or XML
text: a lone surrogate ("\\ud800", which no database driver can encode) and control
characters other than tab, line feed and carriage return (which no XML document, so no
UBL invoice, may hold). It also fails with other errors than a JSON error on a body
nested ~1000 levels deep or a number of more than 4300 digits. Both end here.
"""
from __future__ import annotations

import json
from typing import Any

import flask_smorest
from webargs import core
from webargs.flaskparser import FlaskParser, abort, is_json_request

from banenpool.text import NOT_TEXT


class ApiParser(FlaskParser):
    def _raw_load_json(self, req) -> Any:
        if not is_json_request(req):
            return core.missing
        try:
            data = core.parse_json(req.get_data(cache=True))
            bad = _bad_text(data)
        except json.JSONDecodeError:
            raise
        except (RecursionError, ValueError) as exc:    # nested too deep, a number too long
            abort(400, exc=exc, messages={"json": ["Invalid JSON body: nested too deeply or "
                                                   "holding a number too long to read."]})
        if bad:
            abort(422, messages={"json": bad})
        return data


def _bad_text(value: Any) -> Any:
    """The fields (nested like marshmallow's errors) whose text holds a lone surrogate or a
    control character; None when there are none."""
    if isinstance(value, str):
        found = NOT_TEXT.search(value)
        if found is None:
            return None
        char = found.group()
        what = "a lone surrogate (not valid Unicode)" if "\ud800" <= char <= "\udfff" else \
            f"the control character U+{ord(char):04X}"
        return [f"must be text without {what}"]
    if isinstance(value, dict):
        errors = {key: err for key, item in value.items() if (err := _bad_text(item))}
        for key in value:
            if isinstance(key, str) and NOT_TEXT.search(key):
                errors["_schema"] = ["a field name holds a lone surrogate or a control character"]
        return errors or None
    if isinstance(value, list):
        errors = {index: err for index, item in enumerate(value) if (err := _bad_text(item))}
        return errors or None
    return None


class Blueprint(flask_smorest.Blueprint):
    ARGUMENTS_PARSER = ApiParser()
