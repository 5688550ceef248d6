"""The assistant's hybrid retrieval as a LangChain ``BaseRetriever``, for other apps' chains."""

from __future__ import annotations

from typing import Any

from langchain_core.callbacks import CallbackManagerForRetrieverRun
from langchain_core.documents import Document
from langchain_core.retrievers import BaseRetriever
from pydantic import ConfigDict

from assistant.retrieve import Filters


class ReportRetriever(BaseRetriever):
    """Ranked report passages as Documents; metadata carries report, section, span and score."""

    model_config = ConfigDict(arbitrary_types_allowed=True)

    assistant: Any  # assistant.pipeline.Assistant (Any: pydantic cannot check a plain class)
    k: int = 5
    filters: Filters | None = None

    def _get_relevant_documents(self, query: str, *, run_manager: CallbackManagerForRetrieverRun) -> list[Document]:
        return [
            Document(
                page_content=passage.text,
                id=passage.chunk_id,
                metadata=passage.model_dump(exclude={"text"}),
            )
            for passage in self.assistant.retrieve(query, k=self.k, filters=self.filters)
        ]
