#!/usr/bin/env python3
"""A slow local DOI resolver and registration agency for argmap's network benchmark.

usage: slow_server.py [--latency MS] [--rate N] [--at-once N]
                      [--crossref-rate N] [--crossref-at-once N] [--ports-file FILE]

Three HTTP/1.1 servers on 127.0.0.1, each answering every request after --latency ms:
- the resolver (doi.org's part): GET /api/handles/{doi} says every DOI exists (Handle API
  shape); GET /{doi} redirects (302) to the agency;
- the agency (Crossref's part): GET /works/{doi}/transform answers CSL-JSON, declares
  `x-rate-limit-limit: N`, `x-rate-limit-interval: 1s` and `x-concurrency-limit: N`, and
  enforces them: a request over either limit gets a 429, counted as `refused`;
- Crossref's REST API: GET /works?filter=doi:A,doi:B lists a record for each DOI (a
  `work-list`, with no notice), GET /works/{doi} answers one (`work`); it declares and
  enforces --crossref-rate and --crossref-at-once the same way (429s count as `refused`).

GET /__stats on the resolver returns the request counts as JSON (it is not counted);
POST /__reset zeroes them. The ports are written to --ports-file as
`RESOLVER AGENCY CROSSREF`.
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
from urllib.parse import parse_qs, unquote, urlsplit

lock = threading.Lock()
stats = collections.Counter()


class Limiter:
    """A server's declared limits, enforced: requests a second and requests in flight."""

    def __init__(self, rate, at_once):
        self.rate, self.at_once = rate, at_once
        self.arrivals = collections.deque()  # request times, for the rate window
        self.in_flight = 0

    def declared(self):
        return [("x-rate-limit-limit", str(self.rate)), ("x-rate-limit-interval", "1s"),
                ("x-concurrency-limit", str(self.at_once))]

    def enter(self):
        """Whether the request is within the limits (then it is in flight); call with lock."""
        now = time.monotonic()
        while self.arrivals and now - self.arrivals[0] >= 1.0:
            self.arrivals.popleft()
        over = len(self.arrivals) >= self.rate or self.in_flight >= self.at_once
        self.arrivals.append(now)
        if over:
            stats["refused"] += 1
        else:
            self.in_flight += 1
        return not over

    def reset(self):
        self.arrivals.clear()


limiters = {}


def title_of(doi):
    """The title the corpus generator gives the reference carrying `doi`."""
    return "Synthetic work " + doi.rsplit("/", 1)[-1]


def record(doi):
    """The metadata the agency and Crossref register for `doi`."""
    return {
        "DOI": doi, "type": "journal-article", "title": title_of(doi),
        "author": [{"given": "A.", "family": "Author", "sequence": "first"}],
        "issued": {"date-parts": [[2020, 1, 1]]},
    }


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
                    for limiter in limiters.values():
                        limiter.reset()
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
            elif role == "agency":
                self.agency()
            else:
                self.crossref()

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
            limiter = limiters["agency"]
            with lock:
                stats["agency"] += 1
                within = limiter.enter()
            if not within:
                return self.send(429, b"", "text/plain", limiter.declared() + [("Retry-After", "1")])
            time.sleep(args.latency / 1000)
            doi = unquote(self.path)[len("/works/"):-len("/transform")]
            body = json.dumps(record(doi)).encode()
            # Out of flight before the answer leaves, so a client that starts its next
            # request on receiving it is never counted twice.
            with lock:
                limiter.in_flight -= 1
            self.send(200, body, "application/vnd.citationstyles.csl+json", limiter.declared())

        def crossref(self):
            limiter = limiters["crossref"]
            with lock:
                stats["crossref"] += 1
                within = limiter.enter()
            if not within:
                return self.send(429, b"", "text/plain", limiter.declared() + [("Retry-After", "1")])
            time.sleep(args.latency / 1000)
            url = urlsplit(self.path)
            if url.path == "/works":
                filters = parse_qs(url.query).get("filter", [""])[0].split(",")
                dois = [f[len("doi:"):] for f in filters if f.startswith("doi:")]
                items = [dict(record(d), title=[title_of(d)]) for d in dois]
                with lock:
                    stats["crossref-dois"] += len(dois)
                body = {"status": "ok", "message-type": "work-list", "message-version": "1.0.0",
                        "message": {"total-results": len(items), "items": items, "items-per-page": len(items)}}
            else:
                doi = unquote(url.path)[len("/works/"):]
                body = {"status": "ok", "message-type": "work", "message-version": "1.0.0",
                        "message": dict(record(doi), title=[title_of(doi)])}
            with lock:
                limiter.in_flight -= 1
            self.send(200, json.dumps(body).encode(), "application/json", limiter.declared())

    return Handler


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--latency", type=float, default=50, help="ms before every answer")
    ap.add_argument("--rate", type=int, default=20, help="agency requests per second")
    ap.add_argument("--at-once", type=int, default=2, help="agency requests in flight")
    ap.add_argument("--crossref-rate", type=int, default=10, help="REST API requests per second")
    ap.add_argument("--crossref-at-once", type=int, default=3, help="REST API requests in flight")
    ap.add_argument("--ports-file")
    args = ap.parse_args()
    limiters["agency"] = Limiter(args.rate, args.at_once)
    limiters["crossref"] = Limiter(args.crossref_rate, args.crossref_at_once)
    agency = Server(("127.0.0.1", 0), None)
    resolver = Server(("127.0.0.1", 0), None)
    crossref = Server(("127.0.0.1", 0), None)
    agency.RequestHandlerClass = handler("agency", args, None)
    resolver.RequestHandlerClass = handler("resolver", args, agency.server_address[1])
    crossref.RequestHandlerClass = handler("crossref", args, None)
    for s in (agency, resolver, crossref):
        threading.Thread(target=s.serve_forever, daemon=True).start()
    ports = f"{resolver.server_address[1]} {agency.server_address[1]} {crossref.server_address[1]}\n"
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
