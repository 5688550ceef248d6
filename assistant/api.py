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
import logging
import time
import uuid
from collections.abc import Iterator
from typing import Annotated, Any, Literal

from fastapi import APIRouter, Depends, FastAPI, File, HTTPException, Query, Request, Response, UploadFile
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse, StreamingResponse
from pydantic import BaseModel, BeforeValidator, Field, StringConstraints

from assistant.figure_table import to_csv, to_xlsx
from assistant.filenames import FileNameError
from assistant.markup import inert_html
from assistant.pipeline import MAX_ANSWER_CHARS, QuestionError, check_question
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
_log = logging.getLogger(__name__)

# Bounds on what one request may carry; the pipeline reads only the latest turns of a history, each cut shorter.
MAX_MESSAGES = 200
MAX_MESSAGE_CHARS = 4 * MAX_ANSWER_CHARS  # more than any answer of ours that a client sends back
MAX_CONTENT_PARTS = 100
MAX_REPORT_IDS = 100
MAX_PROBLEMS = 10  # validation problems listed in a 422


def _encodable(value: object) -> object:
    """JSON can carry a lone surrogate ("\\ud800"), which no encoder takes: a 422 here, not a 500 deep inside."""
    if isinstance(value, str):
        try:
            value.encode("utf-8")
        except UnicodeEncodeError as exc:
            raise ValueError(
                f"第 {exc.start} 个字符无效(孤立的代理项) / character {exc.start} is invalid (a lone surrogate): "
                "send UTF-8 text"
            ) from None
    return value


Text = Annotated[str, BeforeValidator(_encodable)]
MessageText = Annotated[Text, StringConstraints(max_length=MAX_MESSAGE_CHARS)]
ReportId = Annotated[Text, StringConstraints(max_length=200)]
Year = Annotated[int, Field(ge=1900, le=2200)]


class TextPart(BaseModel):
    """A part of a message's content. Only text is read: the reports answer no image, audio or file."""

    type: Literal["text"]
    text: MessageText


def _as_parts(content: object) -> object:
    """Content as a list of parts (a string is one text part): one shape to check, one place a problem is named."""
    return [{"type": "text", "text": content}] if isinstance(content, str) else content


class ChatMessage(BaseModel):
    role: Literal["system", "user", "assistant", "tool", "developer"]
    content: Annotated[list[TextPart], BeforeValidator(_as_parts), Field(max_length=MAX_CONTENT_PARTS)] | None = None


class ChatRequest(BaseModel):
    model: str = MODEL_NAME
    messages: list[ChatMessage] = Field(min_length=1, max_length=MAX_MESSAGES)
    stream: bool = False
    # Extensions (send with the openai client's extra_body=...):
    report_ids: list[ReportId] | None = Field(None, max_length=MAX_REPORT_IDS)
    year: Year | None = None
    answerer: Literal["auto", "extractive", "llm"] = "auto"


class AskRequest(BaseModel):
    question: Text  # its length and content: check_question, the rule every way of asking shares
    history: list[tuple[MessageText, MessageText]] = Field([], max_length=MAX_MESSAGES // 2)
    report_ids: list[ReportId] | None = Field(None, max_length=MAX_REPORT_IDS)
    year: Year | None = None
    answerer: Literal["auto", "extractive", "llm"] = "auto"


def install_error_handlers(app: FastAPI) -> None:
    """Domain errors become 4xx/5xx with the bilingual message, never a stack trace."""
    statuses: list[tuple[type[Exception], int]] = [
        (NotFoundError, 404), (UploadError, 400), (FileNameError, 400), (QuestionError, 422),
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
        question = check_question(question)  # before the stream: once it has begun, a refusal is only an event
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
        """Store the uploaded reports in the reports folder and start re-indexing them.

        `replaced`: the saved names that replaced a report of the same name (its new content is indexed)."""
        saved = service.save_upload([(f.filename or "", f.file.read(service.max_upload_bytes + 1)) for f in files])
        return {"saved": list(saved), "replaced": [name for name, replaced in saved.items() if replaced],
                "job": service.reindex().as_dict()}

    @router.get("/api/reports/failed", tags=["reports"])
    def failed_reports() -> list[dict[str, Any]]:
        """Files in the reports folder that could not be indexed, with the reason; remove one by its file name."""
        return [f.summary() for f in service.failures()]

    @router.delete("/api/reports/{report_id}", status_code=202, tags=["reports"])
    def remove(report_id: str) -> dict[str, Any]:
        """Remove a report by its id, or a file that failed to index by its file name."""
        return {"job": service.remove(report_id).as_dict()}

    @router.post("/api/reindex", status_code=202, tags=["reports"])
    def reindex() -> dict[str, Any]:
        return {"job": service.reindex().as_dict()}

    @router.get("/api/jobs/{job_id}", tags=["reports"])
    def job(job_id: str) -> dict[str, Any]:
        return service.job(job_id).as_dict()

    @router.post("/api/jobs/{job_id}/cancel", status_code=202, tags=["reports"])
    def cancel(job_id: str) -> dict[str, Any]:
        """Stop a queued or running job; reports it finished stay indexed, the others keep their previous index."""
        return {"job": service.cancel(job_id).as_dict()}

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


def _text(content: list[TextPart] | None) -> str:
    return "".join(part.text for part in content or [])


def _extra(answer: Answer) -> dict[str, Any]:
    data = answer.model_dump(mode="json")
    keys = ("found", "verified", "language", "answerer", "citations", "notes", "figures", "timings_ms", "draft")
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
    except Exception as exc:  # noqa: BLE001 -- the response began as a 200: any failure is an event, then [DONE]
        yield _error_event(exc)
    yield "data: [DONE]\n\n"


def _error_event(exc: Exception) -> str:
    """A domain error's own bilingual message; any other is logged, and the client is told only that it happened."""
    if isinstance(exc, ReportChatError):
        error = {"message": str(exc), "type": type(exc).__name__}
    else:
        _log.error("a streamed answer failed", exc_info=exc)
        error = {"message": "回答时服务器出错,已记入日志;请重试 / The server failed while answering (the error is "
                            "logged there): try again.", "type": "server_error"}
    return f"data: {json.dumps({'error': error}, ensure_ascii=False)}\n\n"
