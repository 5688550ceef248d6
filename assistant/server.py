"""One server: FastAPI with the HTTP API, and the Gradio web chat mounted at `/`.

Wiring only — the routes live in assistant/api.py, the UI in assistant/web.py,
what they do in assistant/service.py.
"""

from __future__ import annotations

import hmac
import os
import sys

from fastapi import FastAPI, Request
from fastapi.responses import JSONResponse

from assistant.api import build_api, build_health, install_error_handlers
from assistant.service import ReportService
from assistant.throttle import FailureThrottle
from index.errors import CatalogDamagedError, HomeNotWritableError
from index.settings import Settings

_SIGN_IN_PATHS = ("/login", "/login/")  # Gradio's password form, mounted at /
_KEYED_PREFIXES = ("/api/", "/v1/")


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

    throttle = FailureThrottle()

    @app.middleware("http")
    async def back_off_wrong_credentials(request: Request, call_next):  # type: ignore[no-untyped-def]
        """A client that keeps sending wrong keys or passwords waits longer and longer (429, Retry-After)."""
        path = request.url.path
        signs_in = path in _SIGN_IN_PATHS and request.method == "POST"
        if not (signs_in or path.startswith(_KEYED_PREFIXES)) or not settings.api_keys:
            return await call_next(request)
        client = request.client.host if request.client else "unknown"
        if wait := throttle.retry_after(client):
            return JSONResponse(
                {"error": {"message": f"密钥错误次数过多,请 {wait} 秒后再试 / Too many wrong keys: try again in "
                                      f"{wait} s.", "type": "rate_limit_error", "code": "too_many_wrong_keys"}},
                status_code=429, headers={"Retry-After": str(wait)},
            )
        response = await call_next(request)
        if response.status_code == 401 or (signs_in and response.status_code == 400):
            throttle.failed(client)
        elif response.status_code < 400:
            throttle.succeeded(client)
        return response

    app.include_router(build_health(service))
    app.include_router(build_api(service))
    app.state.service = service
    ui = build_ui(service)
    app = gr.mount_gradio_app(
        app, ui, path="/", auth=_ui_auth(settings), css=CSS,
        max_file_size=int(settings.max_upload_mb * 1024 * 1024),  # Gradio's own upload route refuses larger files
        blocked_paths=[str(settings.home.resolve())],
        show_error=False,  # an unexpected exception's text stays in the server log; our own messages still show
    )
    # Gradio checks that a file an event handler receives was uploaded by a user (its upload folder) only
    # once `launch()` has run; mounted, it never has, and a client could name any path on the server as
    # "its" upload (and make Gradio hash /dev/zero on the event loop). Mounting is our launch.
    ui.has_launched = True
    return app


def _ui_auth(settings: Settings):  # type: ignore[no-untyped-def]
    """With API keys set, the web chat asks for one as its password (any user name)."""
    keys = settings.api_key_list
    if not keys:
        return None
    return lambda _user, password: any(hmac.compare_digest(password.encode(), k.encode()) for k in keys)


def serve(settings: Settings) -> None:
    """Run the server: index what changed in the reports folder since it last ran, then warm up.

    A damaged catalog or an unwritable data home is said at start, in one line, and the server serves on:
    /healthz and every route answer 503 with that message, where monitoring looks, and once
    `reportchat index --rebuild` (run beside the server) or the permissions mend it, it answers again
    without a restart. Exiting instead would leave a supervisor restarting into the same error, and the
    same faults can arise while serving (a disk remounted read-only), where they are met the same way."""
    import uvicorn

    service = ReportService(settings)
    try:
        service.index_at_start()
    except (CatalogDamagedError, HomeNotWritableError) as exc:
        print(f"错误 / error: {exc}", file=sys.stderr)
    service.warm_up()
    uvicorn.run(create_app(settings, service), host=settings.host, port=settings.port, log_level="info")
