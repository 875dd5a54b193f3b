"""The JSON API fuzzed from its own /openapi.json: schemathesis generates valid and invalid
requests for every operation (a bounded, deterministic number of examples each) and checks that
no answer is a 5xx, that each status code is one the description documents, and that every
response body conforms to its documented schema.
"""

from __future__ import annotations

import atexit
import shutil
import tempfile
from pathlib import Path

import schemathesis
from hypothesis import HealthCheck, settings
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from app.main import create_app
from app.settings import Settings
from tests.conftest import GLOSSARY

EXAMPLES_PER_OPERATION = 50
CHECKS = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_schema_conformance,
]


# Loaded when the module is imported, as schemathesis's pytest integration expects (its lazy
# loader, from_fixture, does not work with pytest 9). The app's lifespan starts with the first
# request and is shut down at exit; the database lives in a directory removed after that.
_DIRECTORY = Path(tempfile.mkdtemp(prefix="fuzz-"))
atexit.register(shutil.rmtree, _DIRECTORY, ignore_errors=True)  # runs after the lifespan ends
APP = create_app(
    Settings(
        data=GLOSSARY,
        db=_DIRECTORY / "glossary.sqlite",
        base_url="http://testserver",
        reload_interval=0,
    )
)
schema = schemathesis.openapi.from_asgi("/openapi.json", APP)


@schema.parametrize()
@settings(
    max_examples=EXAMPLES_PER_OPERATION,
    deadline=None,
    derandomize=True,
    database=None,
    suppress_health_check=list(HealthCheck),
)
def test_the_api_keeps_its_documented_promises(case: schemathesis.Case) -> None:
    case.call_and_validate(checks=CHECKS)


def test_every_api_operation_is_fuzzed() -> None:
    operations = {
        f"{result.ok().method.upper()} {result.ok().path}" for result in schema.get_all_operations()
    }
    assert {
        "GET /api/v1/terms",
        "GET /api/v1/terms/{term_id}",
        "GET /api/v1/search",
        "GET /api/v1/suggest",
        "GET /api/v1/backprop",
        "POST /api/v1/backprop",
        "GET /healthz",
    } <= operations
