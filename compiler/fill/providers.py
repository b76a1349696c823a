"""Agents behind one small interface: `ask(Request) -> Reply`, or ProviderError.

* `command:ARGV` runs a local program (ARGV split like a shell would, never through a shell) with the prompt on
  stdin and reads the answer from stdout: a timeout, the exit code checked, stdout size-limited.
* `openai:BASE_URL` POSTs to BASE_URL/chat/completions (the OpenAI-compatible protocol of hosted and local
  servers) over httpx: model and API key from options or the environment, retries with backoff on timeouts,
  connection errors, 429 and 5xx, a size-limited response.
* `replay:FILE` answers from recorded responses per (kind, text), in order (tests, and reproducing a fill).

A provider never logs; the API key is only ever put in the Authorization header, and `redact` removes it (and any
password in a URL) from every message a provider produces.
"""

from __future__ import annotations

import json
import os
import shlex
import subprocess
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Protocol
from urllib.parse import urlsplit, urlunsplit

from pydantic import Field, ValidationError

from ..diagnostics import Diagnostic, SpecError
from ..spec.base import StrictModel

MAX_RESPONSE_BYTES = 1_000_000
"""The most bytes read from a server or a command (an answer itself is limited further by answer.py)."""


class ProviderError(Exception):
    """No answer: the reason (redacted). `fatal`: asking again can't help (a command that does not exist, an API
    key the server refuses), so `tcgc fill` stops."""

    def __init__(self, message: str, fatal: bool = False, exhausted: bool = False):
        super().__init__(message)
        self.fatal = fatal
        self.exhausted = exhausted
        """No more answers for this text (a replay file): the next text may still have some."""


@dataclass
class Request:
    """One question: the chat so far (system, user, assistant, ... user) and what it is about."""

    messages: list[dict[str, str]]
    kind: str
    text: str
    attempt: int = 1


@dataclass
class Reply:
    content: str
    model: str | None = None
    prompt_tokens: int = 0
    completion_tokens: int = 0


class Provider(Protocol):
    label: str
    """How fills.yaml names it (no secret in it)."""
    model: str | None

    def ask(self, request: Request) -> Reply: ...

    def close(self) -> None: ...


@dataclass
class Secrets:
    """Strings that must never appear in a message, a log or a file."""

    values: list[str] = field(default_factory=list)

    def redact(self, text: str) -> str:
        for v in self.values:
            if v:
                text = text.replace(v, "***")
        return text


def redact_url(url: str) -> str:
    """The URL without a user name or password, and with any query string left out."""
    try:
        parts = urlsplit(url)
    except ValueError:
        return "(a malformed URL)"
    host = parts.hostname or ""
    if parts.port:
        host += f":{parts.port}"
    if parts.username or parts.password:
        host = "***@" + host
    return urlunsplit((parts.scheme, host, parts.path, "", ""))


def flatten(messages: list[dict[str, str]]) -> str:
    """A chat as one text for a command's stdin: each message under a '### role' line."""
    return "\n\n".join(f"### {m['role']}\n{m['content']}" for m in messages) + "\n"


# --- command: ------------------------------------------------------------------------------------------------------


class CommandProvider:
    """A local program: the prompt (the chat flattened) on stdin, the answer on stdout."""

    def __init__(self, argv: list[str], timeout: float = 300.0, secrets: Secrets | None = None):
        if not argv:
            raise ProviderError("command: needs a program to run (command:ARGV)", fatal=True)
        self.argv = argv
        self.timeout = timeout
        self.secrets = secrets or Secrets()
        self.label = "command:" + shlex.join(argv)
        self.model = None

    def ask(self, request: Request) -> Reply:
        try:
            proc = subprocess.Popen(self.argv, stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
        except FileNotFoundError:
            raise ProviderError(f"command not found: {self.argv[0]}", fatal=True) from None
        except PermissionError:
            raise ProviderError(f"command not executable: {self.argv[0]}", fatal=True) from None
        out: dict[str, bytes] = {}

        def read(name: str, stream) -> None:
            out[name] = stream.read(MAX_RESPONSE_BYTES + 1)
            stream.read()  # drain the rest so the program can't block on a full pipe

        readers = [threading.Thread(target=read, args=(n, s), daemon=True)
                   for n, s in (("stdout", proc.stdout), ("stderr", proc.stderr))]
        for t in readers:
            t.start()
        try:
            proc.stdin.write(flatten(request.messages).encode("utf-8"))
            proc.stdin.close()
        except BrokenPipeError:
            pass
        try:
            rc = proc.wait(timeout=self.timeout)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()
            raise ProviderError(f"the command gave no answer within {self.timeout:g} s") from None
        for t in readers:
            t.join(5)
        stdout, stderr = out.get("stdout", b""), out.get("stderr", b"")
        if rc != 0:
            tail = stderr.decode("utf-8", "replace").strip().splitlines()[-3:]
            raise ProviderError(self.secrets.redact(f"the command exited with code {rc}"
                                                    + (f": {' / '.join(tail)}" if tail else "")))
        if len(stdout) > MAX_RESPONSE_BYTES:
            raise ProviderError(f"the command wrote more than {MAX_RESPONSE_BYTES:,} bytes")
        return Reply(stdout.decode("utf-8", "replace"))

    def close(self) -> None:
        pass


# --- openai: -------------------------------------------------------------------------------------------------------


class OpenAIProvider:
    """An OpenAI-compatible chat-completions endpoint."""

    def __init__(self, base_url: str, model: str, api_key: str | None = None, timeout: float = 120.0,
                 retries: int = 2, backoff: float = 2.0, temperature: float | None = 0.0,
                 max_tokens: int | None = None):
        import httpx

        if not base_url.startswith(("http://", "https://")):
            raise ProviderError(f"openai: needs an http(s) base URL, not {redact_url(base_url)!r}", fatal=True)
        self.url = base_url.rstrip("/") + "/chat/completions"
        self.model = model
        self.timeout = timeout
        self.retries = retries
        self.backoff = backoff
        self.temperature = temperature
        self.max_tokens = max_tokens
        self.secrets = Secrets([api_key] if api_key else [])
        parts = urlsplit(base_url)
        self.secrets.values += [x for x in (parts.password,) if x]
        self.label = "openai:" + redact_url(base_url)
        headers = {"Content-Type": "application/json", "User-Agent": "tcgc-fill"}
        if api_key:
            headers["Authorization"] = f"Bearer {api_key}"
        self._client = httpx.Client(timeout=httpx.Timeout(timeout), headers=headers, follow_redirects=False)

    def _say(self, msg: str) -> str:
        return self.secrets.redact(msg)

    def ask(self, request: Request) -> Reply:
        import httpx

        body: dict[str, Any] = {"model": self.model, "messages": request.messages}
        if self.temperature is not None:
            body["temperature"] = self.temperature
        if self.max_tokens:
            body["max_tokens"] = self.max_tokens
        last = ""
        for attempt in range(self.retries + 1):
            if attempt:
                time.sleep(self.backoff * 2 ** (attempt - 1))
            try:
                status, data, retry_after = self._post(body)
            except httpx.TimeoutException:
                last = f"no answer within {self.timeout:g} s"
                continue
            except httpx.TransportError as e:
                last = f"cannot reach {redact_url(self.url)}: {type(e).__name__}"
                continue
            if status == 200:
                return self._reply(data)
            excerpt = data[:300].decode("utf-8", "replace").strip().replace("\n", " ")
            last = f"HTTP {status} from {redact_url(self.url)}" + (f": {excerpt}" if excerpt else "")
            if status in (401, 403):
                raise ProviderError(self._say(f"HTTP {status}: the server refuses the API key (or none was "
                                              "given): set it with --api-key or TCGC_API_KEY"), fatal=True)
            if status == 404:
                raise ProviderError(self._say(last + " (is the base URL right? tcgc adds /chat/completions)"),
                                    fatal=True)
            if status != 429 and status < 500:
                raise ProviderError(self._say(last))
            if retry_after is not None:
                time.sleep(min(retry_after, 30.0))
        raise ProviderError(self._say(f"{last} (after {self.retries + 1} tries)"))

    def _post(self, body: dict) -> tuple[int, bytes, float | None]:
        with self._client.stream("POST", self.url, json=body) as r:
            chunks, size = [], 0
            for chunk in r.iter_bytes():
                size += len(chunk)
                if size > MAX_RESPONSE_BYTES:
                    raise ProviderError(f"the response is larger than {MAX_RESPONSE_BYTES:,} bytes")
                chunks.append(chunk)
            ra = r.headers.get("retry-after")
            try:
                retry_after = float(ra) if ra is not None else None
            except ValueError:
                retry_after = None
            return r.status_code, b"".join(chunks), retry_after

    def _reply(self, data: bytes) -> Reply:
        try:
            doc = json.loads(data)
            content = doc["choices"][0]["message"]["content"]
        except (json.JSONDecodeError, KeyError, IndexError, TypeError):
            raise ProviderError("the server's response is not a chat completion (no choices[0].message.content)") \
                from None
        if not isinstance(content, str):
            raise ProviderError("the server's answer is not a string")
        usage = doc.get("usage") if isinstance(doc.get("usage"), dict) else {}

        def n(k: str) -> int:
            v = usage.get(k)
            return v if isinstance(v, int) and v >= 0 else 0

        model = doc.get("model") if isinstance(doc.get("model"), str) else self.model
        return Reply(content, model, n("prompt_tokens"), n("completion_tokens"))

    def close(self) -> None:
        self._client.close()


# --- replay: -------------------------------------------------------------------------------------------------------


class ReplayEntry(StrictModel):
    kind: str = Field(pattern="^(attack|ability|trainer)$")
    text: str = Field(min_length=1)
    responses: list[str | dict[str, Any]] = Field(min_length=1, description=(
        "Answers in order, one per attempt: the raw answer text, or a mapping written out as the JSON answer."))


class ReplayFile(StrictModel):
    format: str = Field(pattern="^tcgc-fill-replay$")
    version: int = Field(1, ge=1, le=1)
    answers: list[ReplayEntry] = Field(default_factory=list)


class ReplayProvider:
    """Recorded answers: the n-th question about a text gets its n-th response."""

    def __init__(self, path: str | Path):
        from ..spec.load import validation_diagnostics
        from ..yaml_io import YamlFile

        yf = YamlFile(path)
        try:
            doc = ReplayFile.model_validate(yf.data if yf.data is not None else {})
        except ValidationError as err:
            raise SpecError(validation_diagnostics(yf.shown, yf.nodes, err)) from None
        self.answers: dict[tuple[str, str], list[str]] = {}
        for i, e in enumerate(doc.answers):
            if (e.kind, e.text) in self.answers:
                line, col = yf.locate(("answers", i, "text"))
                raise SpecError(Diagnostic(yf.shown, "a second entry for this text", line, col,
                                           f"answers[{i}].text"))
            self.answers[(e.kind, e.text)] = [r if isinstance(r, str) else json.dumps(r, ensure_ascii=False)
                                              for r in e.responses]
        self.used: dict[tuple[str, str], int] = {}
        self.label = f"replay:{Path(path).name}"
        self.model = None
        self.secrets = Secrets()

    def ask(self, request: Request) -> Reply:
        key = (request.kind, request.text)
        if key not in self.answers:
            raise ProviderError(f"the replay file has no answers for this {request.kind} text", exhausted=True)
        n = self.used.get(key, 0)
        if n >= len(self.answers[key]):
            raise ProviderError(f"the replay file has no answer left for this text ({n} used)", exhausted=True)
        self.used[key] = n + 1
        return Reply(self.answers[key][n])

    def close(self) -> None:
        pass


class Recorder:
    """Wraps a provider and keeps every answer it gives, to be saved as a replay file (`--record FILE`)."""

    def __init__(self, inner: Provider):
        self.inner = inner
        self.label = inner.label
        self.model = inner.model
        self.secrets = getattr(inner, "secrets", None) or Secrets()
        self.entries: dict[tuple[str, str], list[str]] = {}

    def ask(self, request: Request) -> Reply:
        reply = self.inner.ask(request)
        self.entries.setdefault((request.kind, request.text), []).append(reply.content)
        return reply

    def close(self) -> None:
        self.inner.close()

    def save(self, path: str | Path) -> None:
        from ..yaml_io import dump_yaml

        doc = {"format": "tcgc-fill-replay", "version": 1,
               "answers": [{"kind": k, "text": t, "responses": rs} for (k, t), rs in self.entries.items()]}
        Path(path).write_text(dump_yaml(doc), encoding="utf-8")


def make_provider(spec: str, model: str | None = None, api_key: str | None = None, timeout: float = 120.0,
                  retries: int = 2, backoff: float = 2.0) -> Provider:
    """The provider named by `command:ARGV`, `openai:BASE_URL` or `replay:FILE`; ProviderError(fatal) or
    SpecError when it can't be set up."""
    scheme, sep, rest = spec.partition(":")
    if not sep or not rest:
        raise ProviderError(f"unknown agent {spec!r}: use command:ARGV, openai:BASE_URL or replay:FILE", fatal=True)
    if scheme == "command":
        try:
            argv = shlex.split(rest)
        except ValueError as e:
            raise ProviderError(f"command: {e}", fatal=True) from None
        return CommandProvider(argv, timeout)
    if scheme == "openai":
        model = model or os.environ.get("TCGC_MODEL") or os.environ.get("OPENAI_MODEL")
        if not model:
            raise ProviderError("openai: needs a model: --model NAME, or TCGC_MODEL / OPENAI_MODEL", fatal=True)
        key = api_key or os.environ.get("TCGC_API_KEY") or os.environ.get("OPENAI_API_KEY")
        return OpenAIProvider(rest, model, key, timeout, retries, backoff)
    if scheme == "replay":
        return ReplayProvider(rest)
    raise ProviderError(f"unknown agent kind {scheme!r}: use command:ARGV, openai:BASE_URL or replay:FILE",
                        fatal=True)
