#!/usr/bin/env python3
"""A stand-in for `nmt serve`, until it exists, for the live page's browser test.

GET / answers with the live page given on the command line; POST /translate answers
`{"translations": [...]}` in the server's documented shape, with an alignment, two heads
and an alternative, or a 400 with `{"error": ...}` when the text contains "Fehler". Every
request body is appended to the log file, so the test can check what the page sent.

usage: mock-server.py PAGE PORT_FILE REQUEST_LOG   (listens on 127.0.0.1, a free port)
"""
import http.server
import json
import sys

PAGE, PORT_FILE, REQUEST_LOG = sys.argv[1:4]
TOKENS = ["I", "have", "to", "go", "to", "the", "doctor", "."]


def peaked(rows, columns, shift):
    """Rows that sum to 1, most of row i on a column that moves along with i."""
    matrix = []
    for i in range(rows):
        peak = min(columns - 1, (i * columns) // rows + shift)
        row = [0.6 if j == peak else 0.4 / (columns - 1) for j in range(columns)]
        matrix.append(row)
    return matrix


def translation(text):
    source = text.split()
    rows, columns = len(TOKENS) + 1, len(source) + 1  # the </s> row and column
    return {
        "text": "I have to go to the doctor.",
        "tokens": TOKENS,
        "sourceTokens": source,
        "alignment": peaked(rows, columns, 0),
        "heads": {"layer 1, head 1": peaked(rows, columns, 0), "layer 1, head 2": peaked(rows, columns, 1)},
        "alternatives": [{"text": "I must go to the doctor.", "score": -2.31}],
    }


class Handler(http.server.BaseHTTPRequestHandler):
    def answer(self, status, content_type, body):
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def do_GET(self):
        if self.path == "/" or self.path.startswith("/?"):
            with open(PAGE, "rb") as page:
                self.answer(200, "text/html; charset=utf-8", page.read())
        else:
            self.answer(404, "application/json", b'{"error": "not found"}')

    def do_POST(self):
        body = self.rfile.read(int(self.headers.get("Content-Length", "0")))
        with open(REQUEST_LOG, "ab") as log:
            log.write(body + b"\n")
        try:
            request = json.loads(body)
            text = request["text"]
        except (ValueError, KeyError, TypeError):
            return self.answer(400, "application/json", b'{"error": "malformed request"}')
        if self.path != "/translate":
            return self.answer(404, "application/json", b'{"error": "not found"}')
        if "Fehler" in text:
            return self.answer(400, "application/json", json.dumps({"error": "mock: this text is refused"}).encode())
        answer = {"translations": [translation(text)]}
        self.answer(200, "application/json", json.dumps(answer).encode())

    def log_message(self, format, *args):
        pass


server = http.server.HTTPServer(("127.0.0.1", 0), Handler)
with open(PORT_FILE, "w") as port_file:
    port_file.write(str(server.server_address[1]))
server.serve_forever()
