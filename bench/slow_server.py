#!/usr/bin/env python3
"""A slow local DOI resolver and registration agency for argmap's network benchmark.

usage: slow_server.py [--latency MS] [--rate N] [--at-once N] [--ports-file FILE]

Two HTTP/1.1 servers on 127.0.0.1, each answering every request after --latency ms:
- the resolver (doi.org's part): GET /api/handles/{doi} says every DOI exists (Handle API
  shape); GET /{doi} redirects (302) to the agency;
- the agency (Crossref's part): GET /works/{doi}/transform answers CSL-JSON, declares
  `x-rate-limit-limit: N`, `x-rate-limit-interval: 1s` and `x-concurrency-limit: N`, and
  enforces them: a request over either limit gets a 429, counted as `refused`.

GET /__stats on the resolver returns the request counts as JSON (it is not counted);
POST /__reset zeroes them. The ports are written to --ports-file as `RESOLVER AGENCY`.
Only the standard library is used; the server stops on SIGTERM or SIGINT.
"""
import argparse
import collections
import json
import os
import signal
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import unquote

lock = threading.Lock()
stats = collections.Counter()
arrivals = collections.deque()  # agency request times, for the rate window
in_flight = 0


def title_of(doi):
    """The title the corpus generator gives the reference carrying `doi`."""
    return "Synthetic work " + doi.rsplit("/", 1)[-1]


class Server(ThreadingHTTPServer):
    daemon_threads = True
    request_queue_size = 512  # 32 clients connecting at once must not overflow the backlog


def handler(role, args, agency_port):
    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"
        # One write per answer and no Nagle: a header write followed by a body write would
        # otherwise wait for the client's delayed ACK (~40 ms) on every kept-alive request.
        wbufsize = 1 << 16
        disable_nagle_algorithm = True

        def log_message(self, *a):
            pass

        def send(self, status, body=b"", ctype="application/json", headers=()):
            self.send_response(status)
            self.send_header("Content-Type", ctype)
            self.send_header("Content-Length", str(len(body)))
            for k, v in headers:
                self.send_header(k, v)
            self.end_headers()
            self.wfile.write(body)

        def do_POST(self):
            if self.path == "/__reset":
                with lock:
                    stats.clear()
                    arrivals.clear()
                self.send(204)
            else:
                self.send(404)

        def do_GET(self):
            if self.path == "/__stats":
                with lock:
                    body = json.dumps(dict(stats)).encode()
                return self.send(200, body)
            with lock:
                stats["requests"] += 1
            if role == "resolver":
                self.resolver()
            else:
                self.agency()

        def resolver(self):
            time.sleep(args.latency / 1000)
            path = unquote(self.path)
            if path.startswith("/api/handles/"):
                doi = path[len("/api/handles/"):]
                with lock:
                    stats["handle"] += 1
                body = json.dumps({"responseCode": 1, "handle": doi, "values": [
                    {"index": 1, "type": "URL", "data": {"format": "string", "value": "https://example.org/"}}]})
                self.send(200, body.encode())
            else:
                with lock:
                    stats["redirect"] += 1
                location = f"http://127.0.0.1:{agency_port}/works{self.path}/transform"
                self.send(302, b"", "text/plain", [("Location", location)])

        def agency(self):
            global in_flight
            declared = [("x-rate-limit-limit", str(args.rate)), ("x-rate-limit-interval", "1s"),
                        ("x-concurrency-limit", str(args.at_once))]
            now = time.monotonic()
            with lock:
                stats["agency"] += 1
                while arrivals and now - arrivals[0] >= 1.0:
                    arrivals.popleft()
                over = len(arrivals) >= args.rate or in_flight >= args.at_once
                arrivals.append(now)
                if over:
                    stats["refused"] += 1
                else:
                    in_flight += 1
            if over:
                return self.send(429, b"", "text/plain", declared + [("Retry-After", "1")])
            time.sleep(args.latency / 1000)
            doi = unquote(self.path)[len("/works/"):-len("/transform")]
            body = json.dumps({
                "DOI": doi, "type": "journal-article", "title": title_of(doi),
                "author": [{"given": "A.", "family": "Author", "sequence": "first"}],
                "issued": {"date-parts": [[2020, 1, 1]]},
            }).encode()
            # Out of flight before the answer leaves, so a client that starts its next
            # request on receiving it is never counted twice.
            with lock:
                in_flight -= 1
            self.send(200, body, "application/vnd.citationstyles.csl+json", declared)

    return Handler


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--latency", type=float, default=50, help="ms before every answer")
    ap.add_argument("--rate", type=int, default=20, help="agency requests per second")
    ap.add_argument("--at-once", type=int, default=2, help="agency requests in flight")
    ap.add_argument("--ports-file")
    args = ap.parse_args()
    agency = Server(("127.0.0.1", 0), None)
    resolver = Server(("127.0.0.1", 0), None)
    agency.RequestHandlerClass = handler("agency", args, None)
    resolver.RequestHandlerClass = handler("resolver", args, agency.server_address[1])
    for s in (agency, resolver):
        threading.Thread(target=s.serve_forever, daemon=True).start()
    ports = f"{resolver.server_address[1]} {agency.server_address[1]}\n"
    if args.ports_file:
        with open(args.ports_file + ".tmp", "w") as fh:
            fh.write(ports)
        os.replace(args.ports_file + ".tmp", args.ports_file)
    else:
        print(ports, end="", flush=True)
    stop = threading.Event()
    signal.signal(signal.SIGTERM, lambda *_: stop.set())
    signal.signal(signal.SIGINT, lambda *_: stop.set())
    stop.wait()


if __name__ == "__main__":
    main()
