#!/usr/bin/env python3
"""A deliberately hostile feed server for tests (loopback only, stdlib only).

    feed_server.py ROOT PORTFILE [PORT]

Serves /NAME and /NAME.minisig. The mode is read from ROOT/mode on every
request, so a test switches cases by writing that file:

  content modes    the files in ROOT/<mode>/ (good, badjson, badutf8, badsig,
                   replay, otherfile, or any directory the test makes)
  404, 500         that status
  short            chunked body cut off before its last chunk (connection closed)
  badlength        Content-Length twice the body, body sent, connection closed
  huge             a 1 GB body without Content-Length, streamed until the
                   client gives up (never held in memory)
  hugecl           the same with "Content-Length: 1073741824"
  trickle          Content-Length 4096, then one byte per second

"Connection refused" is the test stopping this server. The port it listens
on is written to PORTFILE (0 asks the system for a free one).
"""
import http.server
import os
import socketserver
import sys
import time

ROOT = sys.argv[1]
GB = 1 << 30


class Handler(http.server.BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def log_message(self, fmt, *args):
        sys.stderr.write("feed_server: %s %s\n" % (self.mode(), fmt % args))

    def mode(self):
        try:
            with open(os.path.join(ROOT, "mode")) as f:
                return f.read().strip()
        except OSError:
            return "good"

    def head(self, code, length=None, extra=()):
        self.send_response(code)
        self.send_header("Content-Type", "application/json")
        if length is not None:
            self.send_header("Content-Length", str(length))
        for k, v in extra:
            self.send_header(k, v)
        self.end_headers()

    def file_body(self, mode):
        name = os.path.basename(self.path.split("?")[0])
        try:
            with open(os.path.join(ROOT, mode, name), "rb") as f:
                return f.read()
        except OSError:
            return None

    def do_GET(self):
        mode = self.mode()
        try:
            getattr(self, "mode_" + mode, self.mode_content)(mode)
        except (BrokenPipeError, ConnectionResetError):
            pass
        self.close_connection = True

    def mode_content(self, mode):
        body = self.file_body(mode)
        if body is None:
            self.head(404, 0)
            return
        self.head(200, len(body))
        self.wfile.write(body)

    def mode_404(self, mode):
        self.head(404, 9)
        self.wfile.write(b"not found")

    def mode_500(self, mode):
        self.head(500, 5)
        self.wfile.write(b"oops\n")

    def mode_short(self, mode):
        body = self.file_body("good") or b"{}"
        self.head(200, None, [("Transfer-Encoding", "chunked")])
        half = body[: len(body) // 2]
        self.wfile.write(b"%x\r\n%s\r\n" % (len(half), half))
        self.wfile.write(b"%x\r\n" % (len(body) - len(half)))  # promised, never sent
        self.wfile.flush()

    def mode_badlength(self, mode):
        body = self.file_body("good") or b"{}"
        self.head(200, 2 * len(body))
        self.wfile.write(body)
        self.wfile.flush()

    def stream(self, total):
        chunk = b" " * 65536
        sent = 0
        while sent < total:
            self.wfile.write(chunk)
            sent += len(chunk)

    def mode_huge(self, mode):
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.send_header("Connection", "close")
        self.end_headers()
        self.stream(GB)

    def mode_hugecl(self, mode):
        self.head(200, GB)
        self.stream(GB)

    def mode_trickle(self, mode):
        self.head(200, 4096)
        for _ in range(4096):
            self.wfile.write(b" ")
            self.wfile.flush()
            time.sleep(1)


class Server(socketserver.ThreadingMixIn, http.server.HTTPServer):
    daemon_threads = True
    allow_reuse_address = True


def main():
    port = int(sys.argv[3]) if len(sys.argv) > 3 else 0
    srv = Server(("127.0.0.1", port), Handler)
    tmp = sys.argv[2] + ".tmp"
    with open(tmp, "w") as f:
        f.write("%d\n" % srv.server_address[1])
    os.rename(tmp, sys.argv[2])
    srv.serve_forever()


if __name__ == "__main__":
    main()
