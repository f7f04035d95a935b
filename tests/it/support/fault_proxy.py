"""A fault-injecting HTTP reverse proxy between the AWS SDK and moto, for ecsdeck's tests.

Usage: python3 fault_proxy.py --upstream http://127.0.0.1:MOTOPORT [--port 0] [--control-port 0]

Listens on 127.0.0.1 (port 0 = a free port) and prints exactly two lines on stdout once both
sockets listen, then serves until SIGTERM/SIGINT (or until its parent process is gone, like
moto_launcher.py; pass --no-parent-watch to keep it running after its parent exits):

    PORT <data port>        the proxy: forwards to --upstream, and also answers /__fault/
    CONTROL <control port>  /__fault/ only; still answers while the data port is "down"

Standard library only. Every request on the data port is forwarded to the upstream with a new
upstream connection (so a request reaches moto at most once: nothing is ever re-sent), unless a
fault rule matches it.

Control API (JSON in, JSON out; on both ports):

    POST /__fault/set          {"fault": NAME, "operations": [..] | null, "services": [..] | null,
                                "count": N | null, "delay_ms": N (optional)}  -> adds a rule
    POST /__fault/clear        removes every rule
    GET  /__fault/rules        the active rules (with the remaining count)
    GET  /__fault/stats        [{"t", "service", "operation", "fault", "status", ...}, ...]
    POST /__fault/reset-stats  forgets the requests seen so far
    POST /__fault/down         closes the data port's listener (clients get ECONNREFUSED) and
                               drops the open client connections
    POST /__fault/up           listens again on the same data port
    GET  /__fault/status       {"up": bool, "port": N, "control_port": N, "upstream": URL}

Rules are tried in the order they were set; the first that matches applies. "operations" are
matched against the operation name (ListClusters, GetMetricData...), "services" against the
signing service of the Authorization header (ecs, logs, monitoring, application-autoscaling) or
the X-Amz-Target prefix; null matches everything. "count" is decremented per matched request and
the rule disappears at 0; null keeps it until /__fault/clear.

Faults: throttle, server_error, hang, reset, reset_after_forward, garbage, bad_gateway,
expired_token, access_denied, delay, corrupt_record (forwards, then gives every record of the
answer whose JSON contains the rule's "match" string a field of the wrong type), and two stubs
for what moto lacks: exec_session (answers ECS ExecuteCommand itself with a session, as ECS
does) and exec_ready (forwards DescribeTasks, then adds what ECS reports for ECS Exec:
enableExecuteCommand, each container's runtimeId and a RUNNING ExecuteCommandAgent), and
ssm_session (answers Systems Manager StartSession and TerminateSession, which moto lacks),
scaling_activities (answers Application Auto Scaling DescribeScalingActivities, which moto lacks,
with the activities in the rule's "match": a JSON list, cut to the request's MaxResults), and
image_digest (forwards DescribeTasks, then gives every container the imageDigest in the rule's
"match", which moto leaves out). Error bodies follow the protocol of the request: awsJson
(X-Amz-Target), awsQuery (form body with Action=; CloudWatch in the Rust SDK) or Smithy RPC v2
CBOR (/service/X/operation/Y; what botocore uses for CloudWatch by default). "delay_ms" is the
hang duration for `hang` (default 120000), the wait before forwarding for `delay` (default 1000)
and an optional wait before answering for the other faults.
"""

from __future__ import annotations

import argparse
import http.client
import json
import os
import re
import signal
import socket
import struct
import sys
import threading
import time
import urllib.parse
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

FAULTS = (
    "throttle",
    "server_error",
    "hang",
    "reset",
    "reset_after_forward",
    "corrupt_record",
    "garbage",
    "bad_gateway",
    "expired_token",
    "access_denied",
    "delay",
    "exec_session",
    "exec_ready",
    "image_digest",
    "ssm_session",
    "scaling_activities",
)

CONTROL_PREFIX = "/__fault/"

# Hop-by-hop headers (RFC 9110 section 7.6.1) and the framing headers we recompute.
HOP_BY_HOP = {
    "connection",
    "keep-alive",
    "proxy-authenticate",
    "proxy-authorization",
    "proxy-connection",
    "te",
    "trailer",
    "transfer-encoding",
    "upgrade",
    "expect",
    "content-length",
}

# X-Amz-Target prefixes of the services ecsdeck talks to, for requests without a signature.
TARGET_PREFIX_SERVICE = {
    "AmazonEC2ContainerServiceV20141113": "ecs",
    "Logs_20140328": "logs",
    "AnyScaleFrontendService": "application-autoscaling",
    "GraniteServiceVersion20100801": "monitoring",
}

# Signing service -> the IAM action prefix named in AccessDenied messages.
IAM_PREFIX = {"monitoring": "cloudwatch"}

# awsQuery services: the XML namespace of their responses.
QUERY_NAMESPACE = {
    "monitoring": "http://monitoring.amazonaws.com/doc/2010-08-01/",
    "sts": "https://sts.amazonaws.com/doc/2011-06-15/",
    "elasticloadbalancing": "http://elasticloadbalancing.amazonaws.com/doc/2015-12-01/",
}
DEFAULT_QUERY_NAMESPACE = QUERY_NAMESPACE["monitoring"]

REQUEST_ID = "00000000-0000-0000-0000-000000000000"
ACCOUNT_USER = "arn:aws:iam::123456789012:user/test"

CREDENTIAL_RE = re.compile(r"Credential=([^,\s]+)")
CBOR_PATH_RE = re.compile(r"^/service/([^/]+)/operation/([^/?]+)")

GARBAGE_BODY = b"\xff\x00not json{{{ <<<\x00\xfe"

BAD_GATEWAY_HTML = (
    b"<html>\r\n<head><title>502 Bad Gateway</title></head>\r\n<body>\r\n"
    b"<center><h1>502 Bad Gateway</h1></center>\r\n</body>\r\n</html>\r\n"
)


def log(message: str) -> None:
    """Quiet diagnostics on stderr (stdout carries only the PORT/CONTROL lines)."""
    print(f"fault_proxy: {message}", file=sys.stderr, flush=True)


# --------------------------------------------------------------------------------------------
# Request classification
# --------------------------------------------------------------------------------------------


class AwsRequest:
    """What the proxy knows about one request: protocol, service, operation."""

    def __init__(self, method: str, path: str, headers, body: bytes):
        self.method = method
        self.path = path
        self.protocol = "unknown"  # json | query | cbor | unknown
        self.content_type = headers.get("Content-Type", "") or ""
        self.target_prefix: str | None = None
        self.operation: str | None = None
        self.signing_service: str | None = None

        auth = headers.get("Authorization", "") or ""
        match = CREDENTIAL_RE.search(auth)
        if match:
            scope = match.group(1).split("/")
            # AKID/date/region/service/aws4_request
            if len(scope) >= 5:
                self.signing_service = scope[-2]

        target = headers.get("X-Amz-Target")
        cbor = CBOR_PATH_RE.match(path)
        if target:
            self.protocol = "json"
            prefix, _, operation = target.rpartition(".")
            self.target_prefix = prefix or None
            self.operation = operation or None
        elif cbor or (headers.get("Smithy-Protocol", "") or "").lower() == "rpc-v2-cbor":
            self.protocol = "cbor"
            if cbor:
                self.target_prefix = urllib.parse.unquote(cbor.group(1))
                self.operation = urllib.parse.unquote(cbor.group(2))
        else:
            action = None
            query = urllib.parse.urlsplit(path).query
            if query:
                action = urllib.parse.parse_qs(query).get("Action", [None])[0]
            if action is None and body and (
                "x-www-form-urlencoded" in self.content_type.lower() or body.startswith(b"Action=")
            ):
                try:
                    form = urllib.parse.parse_qs(body.decode("utf-8", "replace"))
                except ValueError:
                    form = {}
                action = form.get("Action", [None])[0]
            if action:
                self.protocol = "query"
                self.operation = action

    @property
    def service(self) -> str | None:
        """The signing service, else what the X-Amz-Target prefix says, else the prefix."""
        if self.signing_service:
            return self.signing_service
        if self.target_prefix:
            return TARGET_PREFIX_SERVICE.get(self.target_prefix, self.target_prefix)
        return None

    def service_names(self) -> set[str]:
        names = {n for n in (self.signing_service, self.target_prefix, self.service) if n}
        return names

    def iam_action(self) -> str:
        service = self.service or "aws"
        return f"{IAM_PREFIX.get(service, service)}:{self.operation or '*'}"


# --------------------------------------------------------------------------------------------
# Fault responses
# --------------------------------------------------------------------------------------------


def cbor_encode(value) -> bytes:
    """A minimal CBOR encoder: str, bytes, int >= 0, bool, None, dict, list."""

    def head(major: int, n: int) -> bytes:
        if n < 24:
            return bytes([major << 5 | n])
        if n < 0x100:
            return bytes([major << 5 | 24, n])
        if n < 0x10000:
            return bytes([major << 5 | 25]) + struct.pack(">H", n)
        if n < 0x100000000:
            return bytes([major << 5 | 26]) + struct.pack(">I", n)
        return bytes([major << 5 | 27]) + struct.pack(">Q", n)

    if value is None:
        return b"\xf6"
    if value is True:
        return b"\xf5"
    if value is False:
        return b"\xf4"
    if isinstance(value, int) and value >= 0:
        return head(0, value)
    if isinstance(value, bytes):
        return head(2, len(value)) + value
    if isinstance(value, str):
        raw = value.encode("utf-8")
        return head(3, len(raw)) + raw
    if isinstance(value, list):
        return head(4, len(value)) + b"".join(cbor_encode(v) for v in value)
    if isinstance(value, dict):
        return head(5, len(value)) + b"".join(
            cbor_encode(k) + cbor_encode(v) for k, v in value.items()
        )
    raise TypeError(f"cannot CBOR-encode {type(value).__name__}")


class Reply:
    """A synthetic response."""

    def __init__(self, status: int, headers: list[tuple[str, str]], body: bytes):
        self.status = status
        self.headers = headers
        self.body = body


# fault -> (status, awsJson __type, awsQuery status, awsQuery Code, awsQuery Type, message)
ERROR_SHAPES = {
    "throttle": (400, "ThrottlingException", 400, "Throttling", "Sender", "Rate exceeded"),
    "server_error": (500, "ServerException", 500, "InternalFailure", "Receiver", "internal error"),
    "expired_token": (
        400,
        "ExpiredTokenException",
        400,
        "ExpiredToken",
        "Sender",
        "The security token included in the request is expired",
    ),
    "access_denied": (400, "AccessDeniedException", 403, "AccessDenied", "Sender", None),
}


def error_reply(fault: str, req: AwsRequest) -> Reply:
    status, json_type, query_status, query_code, query_type, message = ERROR_SHAPES[fault]
    if message is None:
        message = f"User: {ACCOUNT_USER} is not authorized to perform: {req.iam_action()}"
    common = [("x-amzn-RequestId", REQUEST_ID)]
    if req.protocol == "query":
        namespace = QUERY_NAMESPACE.get(req.service or "", DEFAULT_QUERY_NAMESPACE)
        body = (
            f'<ErrorResponse xmlns="{namespace}"><Error><Type>{query_type}</Type>'
            f"<Code>{query_code}</Code><Message>{xml_escape(message)}</Message></Error>"
            f"<RequestId>{REQUEST_ID}</RequestId></ErrorResponse>"
        ).encode()
        return Reply(query_status, [("Content-Type", "text/xml")] + common, body)
    headers = list(common)
    if req.service == "monitoring":
        # CloudWatch is awsQueryCompatible: JSON/CBOR errors carry the query code too.
        headers.append(("x-amzn-query-error", f"{query_code};{query_type}"))
    payload = {"__type": json_type, "message": message}
    if req.protocol == "cbor":
        headers += [("Content-Type", "application/cbor"), ("smithy-protocol", "rpc-v2-cbor")]
        return Reply(status, headers, cbor_encode(payload))
    headers += [("Content-Type", json_content_type(req)), ("x-amzn-ErrorType", json_type)]
    return Reply(status, headers, json.dumps(payload, separators=(",", ":")).encode())


def json_content_type(req: AwsRequest) -> str:
    if req.content_type.lower().startswith("application/x-amz-json"):
        return req.content_type
    return "application/x-amz-json-1.1"


def garbage_reply(req: AwsRequest) -> Reply:
    headers = [("x-amzn-RequestId", REQUEST_ID)]
    if req.protocol == "query":
        headers.append(("Content-Type", "text/xml"))
    elif req.protocol == "cbor":
        headers += [("Content-Type", "application/cbor"), ("smithy-protocol", "rpc-v2-cbor")]
    else:
        headers.append(("Content-Type", json_content_type(req)))
    return Reply(200, headers, GARBAGE_BODY)


def bad_gateway_reply() -> Reply:
    return Reply(502, [("Content-Type", "text/html"), ("Server", "awselb/2.0")], BAD_GATEWAY_HTML)


def xml_escape(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


# --------------------------------------------------------------------------------------------
# Rules and stats
# --------------------------------------------------------------------------------------------


class Rule:
    def __init__(self, spec: dict):
        if not isinstance(spec, dict):
            raise ValueError("the body must be a JSON object")
        fault = spec.get("fault")
        if fault not in FAULTS:
            raise ValueError(f"unknown fault {fault!r}; known: {', '.join(FAULTS)}")
        self.fault: str = fault
        self.operations = name_list(spec, "operations", "operation")
        self.services = name_list(spec, "services", "service")
        count = spec.get("count")
        if count is not None and (
            not isinstance(count, int) or isinstance(count, bool) or count <= 0
        ):
            raise ValueError("count must be a positive integer or null")
        self.count: int | None = count
        delay = spec.get("delay_ms")
        if delay is not None and (
            not isinstance(delay, (int, float)) or isinstance(delay, bool) or delay < 0
        ):
            raise ValueError("delay_ms must be a non-negative number or null")
        self.delay_ms = delay
        match = spec.get("match")
        if match is not None and not isinstance(match, str):
            raise ValueError("match must be a string or null")
        self.match: str | None = match

    def matches(self, req: AwsRequest) -> bool:
        if self.operations is not None and req.operation not in self.operations:
            return False
        if self.services is not None and not (req.service_names() & self.services):
            return False
        return True

    def as_json(self) -> dict:
        return {
            "fault": self.fault,
            "operations": sorted(self.operations) if self.operations is not None else None,
            "services": sorted(self.services) if self.services is not None else None,
            "count": self.count,
            "delay_ms": self.delay_ms,
        }


def name_list(spec: dict, plural: str, singular: str) -> set[str] | None:
    value = spec.get(plural, spec.get(singular))
    if value is None:
        return None
    if isinstance(value, str):
        return {value}
    if isinstance(value, list) and all(isinstance(v, str) for v in value):
        return set(value)
    raise ValueError(f"{plural} must be a list of strings or null")


class State:
    """Rules and stats, shared by every handler thread."""

    def __init__(self):
        self.lock = threading.Lock()
        self.rules: list[Rule] = []
        self.stats: list[dict] = []

    def add_rule(self, rule: Rule) -> None:
        with self.lock:
            self.rules.append(rule)

    def clear_rules(self) -> None:
        with self.lock:
            self.rules.clear()

    def rules_json(self) -> list[dict]:
        with self.lock:
            return [r.as_json() for r in self.rules]

    def take_rule(self, req: AwsRequest) -> tuple[str, float | None, str | None] | None:
        """The fault of the first matching rule (its delay and match), consuming one of its
        count."""
        with self.lock:
            for rule in self.rules:
                if rule.matches(req):
                    if rule.count is not None:
                        rule.count -= 1
                        if rule.count <= 0:
                            self.rules.remove(rule)
                    return rule.fault, rule.delay_ms, rule.match
        return None

    def record(self, req: AwsRequest, fault: str | None) -> dict:
        entry = {
            "t": time.time(),
            "service": req.service,
            "operation": req.operation,
            "fault": fault,
            "status": None,
            "upstream_status": None,
            "protocol": req.protocol,
            "method": req.method,
            "path": req.path,
        }
        with self.lock:
            self.stats.append(entry)
        return entry

    def update(self, entry: dict, **fields) -> None:
        with self.lock:
            entry.update(fields)

    def stats_json(self) -> list[dict]:
        with self.lock:
            return [dict(e) for e in self.stats]

    def reset_stats(self) -> None:
        with self.lock:
            self.stats.clear()


# --------------------------------------------------------------------------------------------
# HTTP
# --------------------------------------------------------------------------------------------


class Server(ThreadingHTTPServer):
    daemon_threads = True
    block_on_close = False
    allow_reuse_address = True
    request_queue_size = 128

    def __init__(self, address, handler, proxy: "Proxy", data: bool):
        self.proxy = proxy
        self.data = data
        super().__init__(address, handler)

    def handle_error(self, request, client_address):
        error = sys.exc_info()[1]
        if isinstance(error, (ConnectionError, TimeoutError, OSError)):
            return  # clients going away (timeouts, down) are expected
        log(f"error while handling {client_address}: {error!r}")


class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    server_version = "fault_proxy"
    sys_version = ""
    server: Server

    # Any method: do_GET, do_POST, do_PUT, ...
    def __getattr__(self, name: str):
        if name.startswith("do_"):
            return self.handle_request
        raise AttributeError(name)

    def log_message(self, format, *args):  # noqa: A002 - the base class's signature
        pass

    def setup(self):
        super().setup()
        if self.server.data:
            self.server.proxy.track(self.connection)

    def finish(self):
        try:
            super().finish()
        finally:
            if self.server.data:
                self.server.proxy.untrack(self.connection)

    # ---------------------------------------------------------------- request plumbing

    def read_body(self) -> bytes:
        if "chunked" in (self.headers.get("Transfer-Encoding", "") or "").lower():
            chunks = []
            while True:
                line = self.rfile.readline(65537)
                if not line:
                    raise ConnectionError("client closed during a chunked body")
                size = int(line.split(b";", 1)[0].strip() or b"0", 16)
                if size == 0:
                    while self.rfile.readline(65537) not in (b"\r\n", b"\n", b""):
                        pass  # trailers
                    return b"".join(chunks)
                chunks.append(self.rfile.read(size))
                self.rfile.readline(65537)
        length = self.headers.get("Content-Length")
        if length:
            return self.rfile.read(int(length))
        return b""

    def send_reply(self, status: int, headers, body: bytes, reason: str | None = None) -> None:
        self.send_response_only(status, reason)
        names = set()
        length = str(len(body))
        for name, value in headers:
            lower = name.lower()
            if lower == "content-length" and self.command == "HEAD":
                length = value  # the upstream's answer to HEAD says how long a GET would be
            if lower in HOP_BY_HOP:
                continue
            names.add(lower)
            self.send_header(name, value)
        if "date" not in names:
            self.send_header("Date", self.date_time_string())
        if "server" not in names:
            self.send_header("Server", self.version_string())
        no_body = self.command == "HEAD" or status in (204, 304) or 100 <= status < 200
        if not (no_body and status in (204, 304)):
            self.send_header("Content-Length", length)
        if self.close_connection:
            self.send_header("Connection", "close")
        self.end_headers()
        if body and not no_body:
            self.wfile.write(body)
        self.wfile.flush()

    def send_json(self, status: int, value) -> None:
        body = json.dumps(value).encode()
        self.send_reply(status, [("Content-Type", "application/json")], body)

    def reset_connection(self) -> None:
        """Abort the client connection with a TCP RST and no response."""
        self.close_connection = True
        try:
            self.connection.setsockopt(
                socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0)
            )
        except OSError:
            pass
        # rfile holds a reference to the socket: release it so close() really closes the fd
        # (with SO_LINGER 0, close sends RST instead of FIN).
        try:
            self.rfile.close()
        except OSError:
            pass
        try:
            self.connection.close()
        except OSError:
            pass

    # ---------------------------------------------------------------- dispatch

    def handle_request(self) -> None:
        body = self.read_body()
        path = urllib.parse.urlsplit(self.path).path
        if path.startswith(CONTROL_PREFIX) or path == CONTROL_PREFIX.rstrip("/"):
            self.handle_control(path, body)
            return
        if not self.server.data:
            self.send_json(404, {"error": f"the control port only serves {CONTROL_PREFIX}"})
            return
        self.handle_proxy(body)

    # ---------------------------------------------------------------- control API

    def handle_control(self, path: str, body: bytes) -> None:
        proxy = self.server.proxy
        state = proxy.state
        endpoint = path[len(CONTROL_PREFIX):].strip("/") if path.startswith(CONTROL_PREFIX) else ""
        method = self.command
        try:
            if endpoint == "set" and method == "POST":
                try:
                    spec = json.loads(body or b"null")
                    rule = Rule(spec)
                except ValueError as e:
                    self.send_json(400, {"error": str(e)})
                    return
                state.add_rule(rule)
                self.send_json(200, {"ok": True, "rules": state.rules_json()})
            elif endpoint == "clear" and method == "POST":
                state.clear_rules()
                self.send_json(200, {"ok": True})
            elif endpoint == "rules" and method == "GET":
                self.send_json(200, state.rules_json())
            elif endpoint == "stats" and method == "GET":
                self.send_json(200, state.stats_json())
            elif endpoint == "reset-stats" and method == "POST":
                state.reset_stats()
                self.send_json(200, {"ok": True})
            elif endpoint == "down" and method == "POST":
                # Asked on the data port: close the listener and the other connections before
                # answering (so a connect after the answer is refused), then close this one.
                keep = self.connection if self.server.data else None
                proxy.down(keep=keep)
                self.close_connection = True
                self.send_json(200, {"ok": True, "up": False})
            elif endpoint == "up" and method == "POST":
                try:
                    proxy.up()
                except OSError as e:
                    self.send_json(500, {"error": f"cannot listen on port {proxy.port}: {e}"})
                    return
                self.send_json(200, {"ok": True, "up": True})
            elif endpoint in ("", "status") and method == "GET":
                self.send_json(200, proxy.status())
            else:
                self.send_json(404, {"error": f"no control endpoint {method} {path}"})
        except (ConnectionError, BrokenPipeError):
            self.close_connection = True

    # ---------------------------------------------------------------- proxying

    def handle_proxy(self, body: bytes) -> None:
        proxy = self.server.proxy
        req = AwsRequest(self.command, self.path, self.headers, body)
        taken = proxy.state.take_rule(req)
        fault, delay_ms, match = taken if taken else (None, None, None)
        entry = proxy.state.record(req, fault)

        if fault == "hang":
            self.close_connection = True
            time.sleep((delay_ms if delay_ms is not None else 120000) / 1000)
            return  # close without a response
        if fault == "delay":
            time.sleep((delay_ms if delay_ms is not None else 1000) / 1000)
            fault = None
        elif delay_ms:
            time.sleep(delay_ms / 1000)

        if fault == "reset":
            self.reset_connection()
            return
        if fault in ERROR_SHAPES:
            self.answer(entry, error_reply(fault, req))
            return
        if fault == "garbage":
            self.answer(entry, garbage_reply(req))
            return
        if fault == "bad_gateway":
            self.answer(entry, bad_gateway_reply())
            return
        if fault == "exec_session":
            self.answer(entry, exec_session_reply(body))
            return
        if fault == "ssm_session":
            self.answer(entry, ssm_session_reply(req, body))
            return
        if fault == "scaling_activities":
            self.answer(entry, scaling_activities_reply(body, match))
            return

        # Forward (fault is None or reset_after_forward).
        try:
            status, reason, headers, response_body = proxy.forward(
                self.command, self.path, self.headers, body
            )
        except (OSError, http.client.HTTPException) as e:
            proxy.state.update(entry, upstream_status=None)
            if fault == "reset_after_forward":
                self.reset_connection()
                return
            message = f"fault_proxy: upstream {proxy.upstream_url} failed: {e!r}\n".encode()
            self.answer(entry, Reply(502, [("Content-Type", "text/plain")], message))
            return
        proxy.state.update(entry, upstream_status=status)
        if fault == "reset_after_forward":
            self.reset_connection()
            return
        if fault == "exec_ready" and status == 200:
            response_body = exec_ready(response_body)
            headers = [(k, v) for k, v in headers if k.lower() != "content-length"]
        if fault == "image_digest" and status == 200 and match:
            response_body = image_digest(response_body, match)
            headers = [(k, v) for k, v in headers if k.lower() != "content-length"]
        if fault == "corrupt_record" and status == 200 and match:
            response_body = corrupt_records(response_body, match)
            headers = [(k, v) for k, v in headers if k.lower() != "content-length"]
        proxy.state.update(entry, status=status)
        self.send_reply(status, headers, response_body, reason)

    def answer(self, entry: dict, reply: Reply) -> None:
        self.server.proxy.state.update(entry, status=reply.status)
        self.send_reply(reply.status, reply.headers, reply.body)


def exec_session_reply(body: bytes) -> Reply:
    """ECS's answer to ExecuteCommand (moto has none): the request's task and container, and
    a Session Manager session for session-manager-plugin."""
    try:
        request = json.loads(body or b"{}")
    except ValueError:
        request = {}
    session_id = "ecs-execute-command-stub0123456789"
    answer = {
        "clusterArn": request.get("cluster", ""),
        "containerArn": "arn:aws:ecs:us-east-1:123456789012:container/stub",
        "containerName": request.get("container", ""),
        "interactive": bool(request.get("interactive")),
        "session": {
            "sessionId": session_id,
            "streamUrl": f"wss://ssmmessages.us-east-1.amazonaws.com/v1/data-channel/{session_id}?role=publish_subscribe",
            "tokenValue": "stub-token-value",
        },
        "taskArn": request.get("task", ""),
    }
    headers = [("Content-Type", "application/x-amz-json-1.1"), ("x-amzn-RequestId", REQUEST_ID)]
    return Reply(200, headers, json.dumps(answer).encode())


def ssm_session_reply(req: AwsRequest, body: bytes) -> Reply:
    """Systems Manager's answer to StartSession (a session) or TerminateSession (its id)."""
    try:
        request = json.loads(body or b"{}")
    except ValueError:
        request = {}
    if req.operation == "TerminateSession":
        answer = {"SessionId": request.get("SessionId", "")}
    else:
        session_id = "ecsdeck-forward-stub0123456789"
        answer = {
            "SessionId": session_id,
            "StreamUrl": f"wss://ssmmessages.us-east-1.amazonaws.com/v1/data-channel/{session_id}?role=publish_subscribe",
            "TokenValue": "stub-forward-token",
        }
    headers = [("Content-Type", "application/x-amz-json-1.1"), ("x-amzn-RequestId", REQUEST_ID)]
    return Reply(200, headers, json.dumps(answer).encode())


def scaling_activities_reply(body: bytes, activities: str | None) -> Reply:
    """Application Auto Scaling's answer to DescribeScalingActivities (moto has none): the
    rule's activities (a JSON list, newest first) for the request's ResourceId, at most
    MaxResults of them (AWS allows 1 to 50)."""
    try:
        request = json.loads(body or b"{}")
        listed = json.loads(activities or "[]")
    except ValueError:
        request, listed = {}, []
    headers = [("Content-Type", "application/x-amz-json-1.1"), ("x-amzn-RequestId", REQUEST_ID)]
    limit = request.get("MaxResults", 50)
    if not isinstance(limit, int) or not 1 <= limit <= 50:
        error = {"__type": "ValidationException", "message": "MaxResults must be 1 to 50"}
        return Reply(400, headers, json.dumps(error).encode())
    resource = request.get("ResourceId")
    mine = [a for a in listed if resource is None or a.get("ResourceId") == resource]
    return Reply(200, headers, json.dumps({"ScalingActivities": mine[:limit]}).encode())


def exec_ready(body: bytes) -> bytes:
    """A DescribeTasks answer with what ECS Exec needs and moto leaves out."""
    try:
        doc = json.loads(body)
    except ValueError:
        return body
    for task in doc.get("tasks", []) if isinstance(doc, dict) else []:
        task["enableExecuteCommand"] = True
        task_id = task.get("taskArn", "").rsplit("/", 1)[-1]
        for index, container in enumerate(task.get("containers", [])):
            container["runtimeId"] = f"{task_id}-{3000000000 + index}"
            container["managedAgents"] = [
                {"name": "ExecuteCommandAgent", "lastStatus": "RUNNING"}
            ]
    return json.dumps(doc).encode()


def image_digest(body: bytes, digest: str) -> bytes:
    """A DescribeTasks answer whose containers report the digest they run (imageDigest),
    which moto leaves out: the rule's "match" is the digest."""
    try:
        doc = json.loads(body)
    except ValueError:
        return body
    for task in doc.get("tasks", []) if isinstance(doc, dict) else []:
        for container in task.get("containers", []):
            container["imageDigest"] = digest
    return json.dumps(doc).encode()


def corrupt_records(body: bytes, match: str) -> bytes:
    """A JSON answer with every record (of services, tasks, clusters) whose JSON contains
    `match` given a field of the wrong type: what the SDK cannot decode, record by record."""
    try:
        doc = json.loads(body)
    except ValueError:
        return body
    for key in ("services", "tasks", "clusters"):
        for record in doc.get(key, []) if isinstance(doc, dict) else []:
            if isinstance(record, dict) and match in json.dumps(record):
                for field, value in record.items():
                    if isinstance(value, (int, list)) and not isinstance(value, bool):
                        record[field] = "corrupted by fault_proxy"
                        break
    return json.dumps(doc).encode()


# --------------------------------------------------------------------------------------------
# The proxy: data server lifecycle, upstream forwarding
# --------------------------------------------------------------------------------------------


class Proxy:
    def __init__(self, upstream: str, host: str):
        parsed = urllib.parse.urlsplit(upstream)
        if parsed.scheme != "http" or not parsed.hostname:
            raise SystemExit(f"--upstream must be http://HOST:PORT, not {upstream!r}")
        self.upstream_url = upstream.rstrip("/")
        self.upstream_host = parsed.hostname
        self.upstream_port = parsed.port or 80
        self.upstream_netloc = parsed.netloc
        self.host = host
        self.port: int | None = None
        self.control_port: int | None = None
        self.state = State()
        self.lifecycle = threading.Lock()
        self.data_server: Server | None = None
        self.control_server: Server | None = None
        self.connections_lock = threading.Lock()
        self.connections: set[socket.socket] = set()

    # ---------------------------------------------------------------- servers

    def start(self, port: int, control_port: int) -> None:
        self._listen(port)
        self.control_server = Server((self.host, control_port), Handler, self, data=False)
        self.control_port = self.control_server.server_address[1]
        serve(self.control_server)

    def _listen(self, port: int) -> None:
        server = Server((self.host, port), Handler, self, data=True)
        self.port = server.server_address[1]
        self.data_server = server
        serve(server)

    def down(self, keep: socket.socket | None = None) -> None:
        with self.lifecycle:
            server, self.data_server = self.data_server, None
            if server is not None:
                server.shutdown()
                server.server_close()
            with self.connections_lock:
                victims = [c for c in self.connections if c is not keep]
            for conn in victims:
                # Wake the handler blocked in recv; it then closes the socket.
                try:
                    conn.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
                    conn.shutdown(socket.SHUT_RDWR)
                except OSError:
                    pass

    def up(self) -> None:
        with self.lifecycle:
            if self.data_server is not None:
                return
            deadline = time.monotonic() + 5
            while True:
                try:
                    self._listen(self.port)
                    return
                except OSError:
                    if time.monotonic() > deadline:
                        raise
                    time.sleep(0.05)

    def status(self) -> dict:
        return {
            "up": self.data_server is not None,
            "port": self.port,
            "control_port": self.control_port,
            "upstream": self.upstream_url,
        }

    def close(self) -> None:
        for server in (self.data_server, self.control_server):
            if server is not None:
                server.shutdown()
                server.server_close()

    def track(self, conn: socket.socket) -> None:
        with self.connections_lock:
            self.connections.add(conn)

    def untrack(self, conn: socket.socket) -> None:
        with self.connections_lock:
            self.connections.discard(conn)

    # ---------------------------------------------------------------- upstream

    def forward(self, method: str, path: str, headers, body: bytes):
        """One request on a fresh upstream connection (never retried)."""
        conn = http.client.HTTPConnection(self.upstream_host, self.upstream_port, timeout=300)
        try:
            conn.putrequest(method, path, skip_host=True, skip_accept_encoding=True)
            conn.putheader("Host", self.upstream_netloc)
            for name, value in headers.items():
                lower = name.lower()
                if lower in HOP_BY_HOP or lower == "host":
                    continue
                conn.putheader(name, value)
            if body or method in ("POST", "PUT", "PATCH"):
                conn.putheader("Content-Length", str(len(body)))
            conn.putheader("Connection", "close")
            conn.endheaders(body if body else None)
            response = conn.getresponse()
            response_body = b"" if method == "HEAD" else response.read()
            return response.status, response.reason, response.getheaders(), response_body
        finally:
            conn.close()


def serve(server: Server) -> None:
    threading.Thread(
        target=server.serve_forever,
        kwargs={"poll_interval": 0.05},
        name=f"serve-{server.server_address[1]}",
        daemon=True,
    ).start()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--upstream", required=True, help="http://127.0.0.1:MOTOPORT")
    parser.add_argument("--port", type=int, default=0, help="data port (0 = a free one)")
    parser.add_argument("--control-port", type=int, default=0, help="control port (0 = free)")
    parser.add_argument("--host", default="127.0.0.1", help=argparse.SUPPRESS)
    parser.add_argument(
        "--no-parent-watch",
        action="store_true",
        help="keep running when the parent process exits",
    )
    args = parser.parse_args()

    stop = threading.Event()
    signal.signal(signal.SIGTERM, lambda *_: stop.set())
    signal.signal(signal.SIGINT, lambda *_: stop.set())
    parent = os.getppid()

    proxy = Proxy(args.upstream, args.host)
    proxy.start(args.port, args.control_port)
    sys.stdout.write(f"PORT {proxy.port}\nCONTROL {proxy.control_port}\n")
    sys.stdout.flush()

    while not stop.wait(0.25):
        if not args.no_parent_watch and os.getppid() != parent:
            break
    proxy.close()


if __name__ == "__main__":
    main()
