"""A stand-in OpenAI-compatible endpoint on 127.0.0.1 for the client and measurement tests.

It answers /v1/chat/completions with a reply chosen by the test, streams it as server-sent events
with a known delay before the first chunk and between chunks, and records every request, so the
tests can check both what the scripts send and what they measure.
"""

from __future__ import annotations

import json
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer


class Endpoint:
    def __init__(self, reply=lambda request: "ok", first_delay: float = 0.0, gap: float = 0.0):
        self.reply, self.first_delay, self.gap = reply, first_delay, gap
        self.requests: list[dict] = []
        endpoint = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args):  # keep the test output clean
                pass

            def do_POST(self):
                body = json.loads(self.rfile.read(int(self.headers["Content-Length"])))
                endpoint.requests.append(body)
                if self.path != "/v1/chat/completions":
                    self.send_error(404)
                    return
                text = endpoint.reply(body)
                if body.get("stream"):
                    endpoint._stream(self, text)
                else:
                    message = {"role": "assistant", "content": text}
                    endpoint._send_json(self, {"object": "chat.completion", "choices": [{"index": 0, "message": message}]})

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}/v1"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    @staticmethod
    def _send_json(handler, payload):
        data = json.dumps(payload).encode("utf-8")
        handler.send_response(200)
        handler.send_header("Content-Type", "application/json")
        handler.send_header("Content-Length", str(len(data)))
        handler.end_headers()
        handler.wfile.write(data)

    def _stream(self, handler, text):
        handler.send_response(200)
        handler.send_header("Content-Type", "text/event-stream")
        handler.end_headers()
        words = text.split(" ")
        time.sleep(self.first_delay)
        for i, word in enumerate(words):
            if i:
                time.sleep(self.gap)
            chunk = {"choices": [{"index": 0, "delta": {"content": (" " if i else "") + word}}]}
            handler.wfile.write(f"data: {json.dumps(chunk)}\n\n".encode())
            handler.wfile.flush()
        usage = {"choices": [], "usage": {"completion_tokens": len(words)}}
        handler.wfile.write(f"data: {json.dumps(usage)}\n\ndata: [DONE]\n\n".encode())
        handler.wfile.flush()

    def __enter__(self):
        self.thread.start()
        return self

    def __exit__(self, *exc):
        self.server.shutdown()
        self.server.server_close()
