"""Scripted agents for the `tcgc fill` tests: a real OpenAI-compatible chat-completions server on 127.0.0.1 and a
command-line agent, both answering each effect text from a script (one behaviour per attempt).

A behaviour is one of
  ("answer", CONTENT)           200 with CONTENT as the assistant's message
  ("status", CODE, BODY)        an HTTP error (the command agent: exit code CODE, BODY on stderr)
  ("sleep", SECONDS, CONTENT)   answer after SECONDS (longer than the client's timeout: a timeout)
  ("echo_auth", CODE)           an HTTP error whose body repeats the Authorization header (a leaky server)
"""

from __future__ import annotations

import json
import re
import sys
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

ASKED = re.compile(r'Write the \w+ text (".*") as one JSON object\.')


def asked_text(messages: list[dict]) -> str:
    """The effect text a fill prompt asks about (from its first user message)."""
    for m in messages:
        if m["role"] == "user":
            found = ASKED.search(m["content"])
            if found:
                return json.loads(found.group(1))
    raise ValueError("no effect text in the prompt")


class ChatServer:
    """POST /v1/chat/completions, answering per effect text from `script`; `requests` keeps what it received."""

    def __init__(self, script: dict[str, list[tuple]], usage=(100, 20)):
        self.script = {k: list(v) for k, v in script.items()}
        self.usage = usage
        self.requests: list[dict] = []
        self.lock = threading.Lock()
        server = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args) -> None:
                pass

            def do_POST(self) -> None:
                body = json.loads(self.rfile.read(int(self.headers["Content-Length"])))
                with server.lock:
                    server.requests.append({"path": self.path, "auth": self.headers.get("Authorization"),
                                            "body": body})
                    queue = server.script.get(asked_text(body["messages"]), [])
                    step = queue.pop(0) if queue else ("status", 500, "script exhausted")
                if self.path != "/v1/chat/completions":
                    return self._send(404, b"not found")
                kind = step[0]
                if kind == "answer":
                    return self._answer(step[1])
                if kind == "sleep":
                    time.sleep(step[1])
                    return self._answer(step[2])
                if kind == "status":
                    return self._send(step[1], step[2].encode())
                if kind == "echo_auth":
                    return self._send(step[1], f"bad request from {self.headers.get('Authorization')}".encode())
                raise AssertionError(step)

            def _answer(self, content: str) -> None:
                doc = {"id": "x", "object": "chat.completion", "model": "test-model",
                       "choices": [{"index": 0, "message": {"role": "assistant", "content": content},
                                    "finish_reason": "stop"}],
                       "usage": {"prompt_tokens": server.usage[0], "completion_tokens": server.usage[1]}}
                self._send(200, json.dumps(doc).encode(), "application/json")

            def _send(self, code: int, data: bytes, ctype: str = "text/plain") -> None:
                try:
                    self.send_response(code)
                    self.send_header("Content-Type", ctype)
                    self.send_header("Content-Length", str(len(data)))
                    self.end_headers()
                    self.wfile.write(data)
                except (BrokenPipeError, ConnectionResetError):
                    pass  # the client gave up (a timeout test)

        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.httpd.daemon_threads = True
        self.thread = threading.Thread(target=self.httpd.serve_forever, args=(0.05,), daemon=True)

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.httpd.server_address[1]}/v1"

    def __enter__(self) -> "ChatServer":
        self.thread.start()
        return self

    def __exit__(self, *exc) -> None:
        self.httpd.shutdown()
        self.httpd.server_close()


def command_agent_main(script_path: str, state_path: str) -> int:
    """A command-line agent: reads the prompt on stdin, answers the text's next behaviour from the JSON script
    (behaviours as lists), keeping its position per text in `state_path`."""
    prompt = sys.stdin.read()
    m = ASKED.search(prompt)
    text = json.loads(m.group(1))
    script = json.load(open(script_path, encoding="utf-8"))
    try:
        state = json.load(open(state_path, encoding="utf-8"))
    except FileNotFoundError:
        state = {}
    n = state.get(text, 0)
    state[text] = n + 1
    json.dump(state, open(state_path, "w", encoding="utf-8"))
    steps = script.get(text, [])
    step = steps[n] if n < len(steps) else ["status", 3, "script exhausted"]
    if step[0] == "answer":
        sys.stdout.write(step[1])
        return 0
    if step[0] == "sleep":
        time.sleep(step[1])
        sys.stdout.write(step[2])
        return 0
    if step[0] == "status":
        sys.stderr.write(step[2] + "\n")
        return step[1]
    if step[0] == "flood":
        sys.stdout.write("x" * step[1])
        return 0
    raise AssertionError(step)


if __name__ == "__main__":
    raise SystemExit(command_agent_main(sys.argv[1], sys.argv[2]))
