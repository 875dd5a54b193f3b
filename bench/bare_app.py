"""The baseline: a bare FastAPI route that returns the bytes in $BARE_BODY_FILE as they are."""

from __future__ import annotations

import os
from pathlib import Path

from fastapi import FastAPI
from fastapi.responses import Response

BODY = Path(os.environ["BARE_BODY_FILE"]).read_bytes()
MEDIA_TYPE = os.environ.get("BARE_MEDIA_TYPE", "text/html; charset=utf-8")

app = FastAPI()


@app.get("/terms/{term_id}")
async def same_bytes(term_id: str) -> Response:
    return Response(BODY, media_type=MEDIA_TYPE)
