"""One server: FastAPI with the HTTP API, and the Gradio web chat mounted at `/`.

Wiring only — the routes live in assistant/api.py, the UI in assistant/web.py,
what they do in assistant/service.py.
"""

from __future__ import annotations

import hmac
import os

from fastapi import FastAPI, Request
from fastapi.responses import JSONResponse

from assistant.api import build_api, build_health, install_error_handlers
from assistant.service import ReportService
from index.settings import Settings


def create_app(settings: Settings, service: ReportService | None = None) -> FastAPI:
    os.environ.setdefault("GRADIO_ANALYTICS_ENABLED", "False")
    import gradio as gr

    from assistant.web import CSS, build_ui

    service = service or ReportService(settings)
    limit = int(settings.max_request_mb * 1024 * 1024)
    app = FastAPI(
        title="reportchat",
        description="报告问答 — answers from Chinese government reports, with the figure and its cited sentence.",
        version="0.1.0",
        max_body_size=limit,  # a chunked body has no Content-Length: it is counted as it streams in
    )
    install_error_handlers(app)

    @app.middleware("http")
    async def refuse_oversized(request: Request, call_next):  # type: ignore[no-untyped-def]
        length = request.headers.get("content-length")
        if length and length.isdigit() and int(length) > limit:
            return JSONResponse(
                {"error": {"message": f"请求过大 / Request too large: limit {settings.max_request_mb:g} MB."}},
                status_code=413,
            )
        return await call_next(request)

    app.include_router(build_health(service))
    app.include_router(build_api(service))
    app.state.service = service
    return gr.mount_gradio_app(app, build_ui(service), path="/", auth=_ui_auth(settings), css=CSS)


def _ui_auth(settings: Settings):  # type: ignore[no-untyped-def]
    """With API keys set, the web chat asks for one as its password (any user name)."""
    if not settings.api_keys:
        return None
    keys = [k.strip() for k in settings.api_keys.get_secret_value().split(",") if k.strip()]
    return lambda _user, password: any(hmac.compare_digest(password.encode(), k.encode()) for k in keys)


def serve(settings: Settings) -> None:
    """Run the server: index what changed in the reports folder since it last ran, then warm up."""
    import uvicorn

    service = ReportService(settings)
    service.index_at_start()
    service.warm_up()
    uvicorn.run(create_app(settings, service), host=settings.host, port=settings.port, log_level="info")
