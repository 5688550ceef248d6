"""The HTTP API for other apps: OpenAI-compatible chat completions, and the report routes.

Only translation between HTTP and the ReportService lives here. Citations travel
in a documented extra field, `reportchat`, in the non-streamed response and in
the final chunk of a stream alike, so OpenAI clients keep them
(`response.model_extra["reportchat"]`).
"""

from __future__ import annotations

import hmac
import io
import json
import time
import uuid
from collections.abc import Iterator
from typing import Annotated, Any, Literal

from fastapi import APIRouter, Depends, FastAPI, File, HTTPException, Query, Request, Response, UploadFile
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse, StreamingResponse
from pydantic import BaseModel, Field, StringConstraints

from assistant.figure_table import to_csv, to_xlsx
from assistant.markup import inert_html
from assistant.pipeline import QuestionError
from assistant.retrieve import Filters
from assistant.service import NotFoundError, ReportService, UploadError
from assistant.types import Answer
from index.errors import (
    CatalogDamagedError,
    HomeNotWritableError,
    IndexNotFoundError,
    ReportChatError,
    StoreUnavailableError,
)

MODEL_NAME = "reportchat"
_XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


# Bounds on what one request may carry; the pipeline reads only the latest turns of a history.
MAX_MESSAGES = 200
MAX_REPORT_IDS = 100
MAX_PROBLEMS = 10  # validation problems listed in a 422
ReportId = Annotated[str, StringConstraints(max_length=200)]
Year = Annotated[int, Field(ge=1900, le=2200)]


class ChatMessage(BaseModel):
    role: Literal["system", "user", "assistant", "tool", "developer"]
    content: str | list[dict[str, Any]] | None = ""


class ChatRequest(BaseModel):
    model: str = MODEL_NAME
    messages: list[ChatMessage] = Field(min_length=1, max_length=MAX_MESSAGES)
    stream: bool = False
    # Extensions (send with the openai client's extra_body=...):
    report_ids: list[ReportId] | None = Field(None, max_length=MAX_REPORT_IDS)
    year: Year | None = None
    answerer: Literal["auto", "extractive", "llm"] = "auto"


class AskRequest(BaseModel):
    question: str
    history: list[tuple[str, str]] = Field([], max_length=MAX_MESSAGES // 2)
    report_ids: list[ReportId] | None = Field(None, max_length=MAX_REPORT_IDS)
    year: Year | None = None
    answerer: Literal["auto", "extractive", "llm"] = "auto"


def install_error_handlers(app: FastAPI) -> None:
    """Domain errors become 4xx/5xx with the bilingual message, never a stack trace."""
    statuses: list[tuple[type[Exception], int]] = [
        (NotFoundError, 404), (UploadError, 400), (QuestionError, 422),
        (IndexNotFoundError, 503), (StoreUnavailableError, 503), (CatalogDamagedError, 503),
        (HomeNotWritableError, 503), (ReportChatError, 400),
    ]
    for error_type, status in statuses:
        app.add_exception_handler(error_type, _handler(status))
    app.add_exception_handler(RequestValidationError, _invalid_request)


async def _invalid_request(request: Request, exc: RequestValidationError) -> JSONResponse:
    """What was wrong, where, without the caller's input echoed back (it may be megabytes)."""
    problems = [{"loc": list(e["loc"]), "msg": e["msg"], "type": e["type"]} for e in exc.errors()[:MAX_PROBLEMS]]
    listed = "; ".join(f"{'.'.join(map(str, p['loc']))}: {p['msg']}" for p in problems)
    return JSONResponse(
        {"error": {"message": f"请求无效 / Invalid request: {listed}", "type": "invalid_request_error"},
         "detail": problems},
        status_code=422,
    )


def _handler(status: int) -> Any:
    async def handle(request: Request, exc: Exception) -> JSONResponse:
        return JSONResponse({"error": {"message": str(exc), "type": type(exc).__name__}}, status_code=status)

    return handle


def build_api(service: ReportService) -> APIRouter:
    keys = service.settings.api_key_list

    def authorized(request: Request) -> None:
        if not keys:
            return
        header = request.headers.get("authorization", "")
        token = header[7:] if header.lower().startswith("bearer ") else ""
        if not any(hmac.compare_digest(token.encode(), key.encode()) for key in keys):
            raise HTTPException(401, "需要有效的 API 密钥 / A valid API key is required: Authorization: Bearer KEY",
                                headers={"WWW-Authenticate": "Bearer"})

    router = APIRouter(dependencies=[Depends(authorized)])

    @router.post("/v1/chat/completions", tags=["OpenAI-compatible"])
    def chat_completions(request: ChatRequest) -> Any:
        """Answer the last user message; earlier turns are the chat history. Citations: `reportchat`."""
        question, history = _conversation(request.messages)
        filters = Filters(frozenset(request.report_ids) if request.report_ids else None, request.year)
        events = service.assistant().stream(question, history, filters, request.answerer)
        created, completion_id = int(time.time()), f"chatcmpl-{uuid.uuid4().hex[:24]}"
        if not request.stream:
            answer = next(e for e in events if isinstance(e, Answer))
            return {
                "id": completion_id, "object": "chat.completion", "created": created, "model": MODEL_NAME,
                "choices": [{"index": 0, "finish_reason": "stop",
                             "message": {"role": "assistant", "content": inert_html(answer.answer)}}],
                "usage": {"prompt_tokens": 0, "completion_tokens": 0, "total_tokens": 0},
                "reportchat": _extra(answer),
            }
        return StreamingResponse(_sse(events, completion_id, created), media_type="text/event-stream")

    @router.post("/api/ask", response_model=Answer, tags=["reports"])
    def ask(request: AskRequest) -> Answer:
        filters = Filters(frozenset(request.report_ids) if request.report_ids else None, request.year)
        answer = service.assistant().ask(request.question, request.history, filters, request.answerer)
        return answer.model_copy(update={"answer": inert_html(answer.answer)})

    @router.get("/api/figures", tags=["figures"])
    def figures(
        indicator: Annotated[str | None, Query(max_length=200)] = None,
        report_id: Annotated[list[ReportId] | None, Query(max_length=MAX_REPORT_IDS)] = None,
        year: Annotated[Year | None, Query()] = None, format: Literal["json", "csv", "xlsx"] = "json",
    ) -> Any:
        """Every figure of the indexed reports (filters: an indicator or part of one, report ids, year)."""
        rows = service.assistant().figures.rows(indicator, report_id, year)
        if format == "csv":
            return Response(to_csv(rows), media_type="text/csv; charset=utf-8",
                            headers={"Content-Disposition": 'attachment; filename="figures.csv"'})
        if format == "xlsx":
            out = io.BytesIO()
            to_xlsx(rows, out)
            return Response(out.getvalue(), media_type=_XLSX,
                            headers={"Content-Disposition": 'attachment; filename="figures.xlsx"'})
        return {"count": len(rows), "figures": [row.model_dump() for row in rows]}

    @router.get("/api/reports", tags=["reports"])
    def reports() -> list[dict[str, Any]]:
        return [r.summary() for r in service.reports()]

    @router.post("/api/reports", status_code=202, tags=["reports"])
    def upload(files: list[UploadFile] = File(...)) -> dict[str, Any]:
        """Store the uploaded reports in the reports folder and start re-indexing them."""
        contents = [(f.filename or "", f.file.read(service.max_upload_bytes + 1)) for f in files]
        for name, data in contents:  # check all before writing any
            service.check_upload(name, data)
        saved = [service.save_upload(name, data).name for name, data in contents]
        return {"saved": saved, "job": service.reindex().as_dict()}

    @router.delete("/api/reports/{report_id}", status_code=202, tags=["reports"])
    def remove(report_id: str) -> dict[str, Any]:
        return {"job": service.remove(report_id).as_dict()}

    @router.post("/api/reindex", status_code=202, tags=["reports"])
    def reindex() -> dict[str, Any]:
        return {"job": service.reindex().as_dict()}

    @router.get("/api/jobs/{job_id}", tags=["reports"])
    def job(job_id: str) -> dict[str, Any]:
        return service.job(job_id).as_dict()

    return router


def build_health(service: ReportService) -> APIRouter:
    router = APIRouter()

    @router.get("/healthz", tags=["health"])
    def healthz() -> JSONResponse:
        """Unauthenticated: whether the index and its vector store answer."""
        try:
            assistant = service.assistant()
            assistant.reader.store.heartbeat()
            reports = assistant.reader.reports()
            body = {"status": "ok", "reports": len(reports), "chunks": sum(r.n_chunks for r in reports)}
            return JSONResponse(body)
        except IndexNotFoundError:
            return JSONResponse({"status": "indexing", "reports": 0, "chunks": 0}, status_code=503)
        except ReportChatError as exc:
            return JSONResponse({"status": "error", "error": str(exc)}, status_code=503)

    return router


def _conversation(messages: list[ChatMessage]) -> tuple[str, list[tuple[str, str]]]:
    turns = [(m.role, _text(m.content)) for m in messages if m.role in ("user", "assistant")]
    if not turns or turns[-1][0] != "user":
        raise QuestionError("最后一条消息应来自用户 / The last message must be the user's question.")
    history, pending = [], None
    for role, text in turns[:-1]:
        if role == "user":
            pending = text
        elif pending is not None:
            history.append((pending, text))
            pending = None
    return turns[-1][1], history


def _text(content: str | list[dict[str, Any]] | None) -> str:
    if isinstance(content, list):
        return "".join(part.get("text", "") for part in content if part.get("type") == "text")
    return content or ""


def _extra(answer: Answer) -> dict[str, Any]:
    data = answer.model_dump(mode="json")
    keys = ("found", "verified", "language", "answerer", "citations", "notes", "figures", "timings_ms")
    return {key: data[key] for key in keys}


def _sse(events: Iterator[str | Answer], completion_id: str, created: int) -> Iterator[str]:
    def chunk(delta: dict[str, Any], finish: str | None = None, extra: dict[str, Any] | None = None) -> str:
        body: dict[str, Any] = {
            "id": completion_id, "object": "chat.completion.chunk", "created": created, "model": MODEL_NAME,
            "choices": [{"index": 0, "delta": delta, "finish_reason": finish}],
        }
        if extra is not None:
            body["reportchat"] = extra
        return f"data: {json.dumps(body, ensure_ascii=False)}\n\n"

    yield chunk({"role": "assistant", "content": ""})
    sent = ""
    try:
        for event in events:
            if isinstance(event, Answer):
                # The verified answer is final: what streamed before was provisional.
                final = inert_html(event.answer)
                rest = final[len(sent):] if final.startswith(sent) else "\n\n" + final
                yield chunk({"content": rest} if rest else {}, "stop", _extra(event))
            else:
                piece = inert_html(event)
                sent += piece
                yield chunk({"content": piece})
    except ReportChatError as exc:
        yield f"data: {json.dumps({'error': {'message': str(exc)}}, ensure_ascii=False)}\n\n"
    yield "data: [DONE]\n\n"
