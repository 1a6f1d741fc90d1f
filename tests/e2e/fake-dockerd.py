#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""fake-dockerd: a small Docker Engine API on a unix socket whose "containers"
are the members of a milvusadm lab, for the docker fault backend's e2e test.

usage: fake-dockerd.py --socket PATH --log FILE --lab NAME [--hide FILE]
                       [--milvusadm PATH] [--root by-dev]

Each lab member is one container: Id = sha256 of the member name, Name
"/milvus-MEMBER", Config.Hostname = the HostName of the member's session in
etcd (read with etcdctl once, at start), HostConfig.RestartPolicy "no", top
level RestartCount 0. The answers follow contract fault-backends.md §3.2:

  GET  /_ping, /version (with or without the /v1.NN prefix)
  GET  /v1.NN/containers/json[?all=1]    running ones only without all
  GET  /v1.NN/containers/ID/json         404 for an unknown or hidden one
  POST /v1.NN/containers/ID/kill?signal=S `milvusadm lab kill` it; 204, 409
  POST /v1.NN/containers/ID/wait?condition=not-running
                                          {"StatusCode":137} once it is gone
  POST /v1.NN/containers/ID/start        `milvusadm lab start` it; 204, or 304
                                          when it runs

A killed member stays down while the lab is started with a long --backoff,
until start asks the lab's supervisor to start it now (`lab start NAME`), as
a container runtime starts a stopped container. The member is the
supervisor's child again, with its logs and a place in `lab status`, and it
keeps its host name (the lab keeps it on a start asked for), as a container
keeps its Config.Hostname.

Every request is one JSON line in the log: {"ms","method","path","query",
"body"}; what the fake did is a line with "event" instead of "method".
The members named in the --hide file (one a line, read at every request) are
not there at all: absent from the list, 404 on inspect.
"""
import argparse
import datetime
import hashlib
import json
import os
import signal
import socketserver
import subprocess
import sys
import threading
import time
import urllib.parse
from http.server import BaseHTTPRequestHandler

API_VERSION = "1.43"
MIN_API_VERSION = "1.24"
MAX_BODY = 1 << 20

args = None
lock = threading.Lock()         # the containers
log_lock = threading.Lock()
containers = {}         # id -> dict


def now_ms():
    return int(time.time() * 1000)


def iso(ms):
    if not ms:
        return "0001-01-01T00:00:00Z"
    t = datetime.datetime.fromtimestamp(ms / 1000, datetime.timezone.utc)
    return t.strftime("%Y-%m-%dT%H:%M:%S.") + "%03dZ" % (ms % 1000)


def log(obj):
    obj = dict(ms=now_ms(), **obj)
    with log_lock:
        with open(args.log, "a") as f:
            f.write(json.dumps(obj, sort_keys=True) + "\n")


def milvusadm(*a, check=False):
    return subprocess.run([args.milvusadm] + list(a), capture_output=True, text=True,
                          timeout=60, check=check)


def lab_status():
    r = milvusadm("lab", "status", "--name", args.lab, "-o", "json", check=True)
    return json.loads(r.stdout)


def pid_alive(pid):
    """Running, not a zombie waiting to be reaped."""
    if pid <= 0:
        return False
    try:
        with open("/proc/%d/stat" % pid) as f:
            st = f.read().rsplit(")", 1)[1].split()[0]
    except (OSError, IndexError):
        return False
    return st not in ("Z", "X")


def cmdline(pid):
    try:
        with open("/proc/%d/cmdline" % pid, "rb") as f:
            return [x.decode() for x in f.read().split(b"\0") if x]
    except OSError:
        return None


def member_status(member):
    m = [m for m in lab_status()["members"] if m["name"] == member]
    return m[0] if m else None


def session_hostnames(status):
    """Address IP -> HostName of the sessions in etcd, read with etcdctl."""
    eps = ",".join("http://%s:2379" % m["address"] for m in status["members"]
                   if m["role"] == "etcd")
    r = subprocess.run(["etcdctl", "--endpoints", eps, "get", "--prefix",
                        args.root + "/meta/session/", "--print-value-only"],
                       capture_output=True, text=True, timeout=20,
                       env=dict(os.environ, ETCDCTL_API="3"))
    hosts = {}
    for line in r.stdout.splitlines():
        try:
            s = json.loads(line)
        except ValueError:
            continue
        if isinstance(s, dict) and s.get("Address") and s.get("HostName"):
            hosts[s["Address"].rsplit(":", 1)[0]] = s["HostName"]
    return hosts


def inventory():
    status = lab_status()
    hosts = session_hostnames(status)
    for m in status["members"]:
        cid = hashlib.sha256(("milvus-" + m["name"]).encode()).hexdigest()
        host = hosts.get(m["address"]) or m.get("hostname") or m["name"]
        running = m["state"] == "running" and pid_alive(m["pid"])
        containers[cid] = dict(id=cid, member=m["name"], role=m["role"], ip=m["address"],
                               hostname=host, pid=m["pid"] if running else 0,
                               running=running, exit_code=0, created=now_ms(),
                               started=now_ms() if running else 0, finished=0,
                               argv=cmdline(m["pid"]) if running else None)
    log(dict(event="inventory", containers=sorted(
        "%s %s %s" % (c["member"], c["id"][:12], c["hostname"]) for c in containers.values())))


def hidden():
    try:
        with open(args.hide) as f:
            return {l.strip() for l in f if l.strip()}
    except (OSError, TypeError):
        return set()


def find(ref):
    """A container by full ID, unique ID prefix or name; hidden ones are not there."""
    hide = hidden()
    live = [c for c in containers.values() if c["member"] not in hide]
    name = ref.lstrip("/")
    for c in live:
        if c["id"] == ref or "milvus-" + c["member"] == name:
            return c
    pre = [c for c in live if c["id"].startswith(ref)]
    return pre[0] if len(pre) == 1 else None


def refresh(c):
    """A container whose process ended on its own is not running any more."""
    if c["running"] and not pid_alive(c["pid"]):
        c["running"] = False
        c["finished"] = now_ms()


def summary(c):
    refresh(c)
    return {"Id": c["id"], "Names": ["/milvus-" + c["member"]],
            "Image": "milvusdb/milvus:lab", "Command": "milvusadm-labd component",
            "Created": c["created"] // 1000,
            "State": "running" if c["running"] else "exited",
            "Status": "Up" if c["running"] else "Exited (%d)" % c["exit_code"],
            "Labels": {"milvusadm.lab": args.lab, "milvusadm.member": c["member"]}}


def inspect(c):
    refresh(c)
    argv = c["argv"] or ["milvusadm-labd"]
    return {"Id": c["id"], "Created": iso(c["created"]), "Path": argv[0], "Args": argv[1:],
            "State": {"Status": "running" if c["running"] else "exited",
                      "Running": c["running"], "Paused": False, "Restarting": False,
                      "OOMKilled": False, "Dead": False,
                      "Pid": c["pid"] if c["running"] else 0,
                      "ExitCode": 0 if c["running"] else c["exit_code"], "Error": "",
                      "StartedAt": iso(c["started"]), "FinishedAt": iso(c["finished"])},
            "Name": "/milvus-" + c["member"], "RestartCount": 0,
            "Config": {"Hostname": c["hostname"], "Image": "milvusdb/milvus:lab",
                       "Labels": {"milvusadm.lab": args.lab,
                                  "milvusadm.member": c["member"]}},
            "HostConfig": {"RestartPolicy": {"Name": "no", "MaximumRetryCount": 0},
                           "NetworkMode": "bridge"},
            "NetworkSettings": {"IPAddress": c["ip"]}}


SIGNALS = {"KILL": 9, "TERM": 15, "INT": 2, "STOP": 19, "CONT": 18}


def do_kill(c, sig):
    name = sig.upper()
    if name.startswith("SIG"):
        name = name[3:]
    if name.isdigit():
        name = {v: k for k, v in SIGNALS.items()}.get(int(name), "")
    if name not in SIGNALS:
        return 400, {"message": "invalid signal: %s" % sig}
    refresh(c)
    if not c["running"]:
        return 409, {"message": "container %s is not running" % c["id"]}
    r = milvusadm("lab", "kill", "--name", args.lab, c["member"], "--signal", name)
    if r.returncode != 0:
        return 500, {"message": "lab kill %s: %s" % (c["member"], r.stderr.strip())}
    how = r.stdout.strip()
    if name == "KILL":
        c["running"] = False
        c["exit_code"] = 137
        c["finished"] = now_ms()
    log(dict(event="kill", container=c["member"], pid=c["pid"], signal=name, how=how))
    return 204, None


def do_wait(c, query):
    cond = query.get("condition", ["not-running"])[0]
    if cond not in ("not-running", "next-exit", "removed"):
        return 400, {"message": "invalid condition: %s" % cond}
    deadline = time.time() + 60
    while time.time() < deadline:
        if not pid_alive(c["pid"]):
            break
        time.sleep(0.02)
    else:
        return 500, {"message": "fake: %s still runs after 60 s" % c["member"]}
    refresh(c)
    log(dict(event="gone", container=c["member"], pid=c["pid"]))
    return 200, {"StatusCode": c["exit_code"], "Error": None}


def do_start(c):
    refresh(c)
    if c["running"]:
        return 304, None
    deadline = time.time() + 10
    while pid_alive(c["pid"]) and time.time() < deadline:
        time.sleep(0.02)
    r = milvusadm("lab", "start", "--name", args.lab, c["member"])
    if r.returncode != 0:
        return 500, {"message": "lab start %s: %s" % (c["member"], r.stderr.strip())}
    m = member_status(c["member"])
    pid = m["pid"] if m and m["pid"] else 0
    c.update(pid=pid, running=pid_alive(pid), started=now_ms(), exit_code=0, finished=0,
             argv=cmdline(pid) or c["argv"])
    log(dict(event="start", container=c["member"], pid=pid, how=r.stdout.strip()))
    if not c["running"]:
        return 500, {"message": "fake: %s did not start" % c["member"]}
    return 204, None


class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    server_version = "fake-dockerd"

    def log_message(self, fmt, *a):   # the request log is ours; no address on a unix socket
        pass

    def address_string(self):
        return "unix"

    def body(self):
        if self.headers.get("Transfer-Encoding", "").lower() == "chunked":
            data = b""
            while len(data) <= MAX_BODY:
                n = int(self.rfile.readline().split(b";")[0].strip() or b"0", 16)
                if n == 0:
                    self.rfile.readline()
                    break
                data += self.rfile.read(n)
                self.rfile.readline()
            return data
        n = int(self.headers.get("Content-Length") or 0)
        return self.rfile.read(min(n, MAX_BODY)) if n > 0 else b""

    def reply(self, code, obj, headers=None):
        data = b"" if obj is None else (obj if isinstance(obj, bytes) else
                                        json.dumps(obj).encode())
        self.send_response(code)
        self.send_header("Api-Version", API_VERSION)
        if code not in (204, 304):
            self.send_header("Content-Type", "application/json" if obj is not None and
                             not isinstance(obj, bytes) else "text/plain")
        for k, v in (headers or {}).items():
            self.send_header(k, v)
        self.send_header("Content-Length", str(len(data) if code not in (204, 304) else 0))
        self.end_headers()
        if code not in (204, 304):
            self.wfile.write(data)

    def route(self, method):
        u = urllib.parse.urlsplit(self.path)
        body = self.body()
        log(dict(method=method, path=u.path, query=u.query,
                 body=body.decode("utf-8", "replace")))
        query = urllib.parse.parse_qs(u.query)
        parts = [p for p in u.path.split("/") if p]
        if parts and parts[0].startswith("v") and parts[0][1:2].isdigit():
            ver = parts.pop(0)[1:]
            try:
                newer = [int(x) for x in ver.split(".")] > [int(x) for x in API_VERSION.split(".")]
            except ValueError:
                return self.reply(400, {"message": "malformed version: %s" % ver})
            if newer:
                return self.reply(400, {"message": "client version %s is too new. "
                                        "Maximum supported API version is %s"
                                        % (ver, API_VERSION)})
        if method == "GET" and parts == ["_ping"]:
            return self.reply(200, b"OK")
        if method == "GET" and parts == ["version"]:
            return self.reply(200, {"Version": "24.0.0-fake", "ApiVersion": API_VERSION,
                                    "MinAPIVersion": MIN_API_VERSION, "Os": "linux"})
        if parts[:1] != ["containers"]:
            return self.reply(404, {"message": "page not found"})
        if method == "GET" and parts == ["containers", "json"]:
            every = query.get("all", ["0"])[0] in ("1", "true", "True")
            hide = hidden()
            with lock:
                v = [summary(c) for c in sorted(containers.values(), key=lambda c: c["member"])
                     if c["member"] not in hide]
            return self.reply(200, [s for s in v if every or s["State"] == "running"])
        if len(parts) != 3:
            return self.reply(404, {"message": "page not found"})
        with lock:
            c = find(parts[1])
        if c is None:
            return self.reply(404, {"message": "No such container: %s" % parts[1]})
        what = parts[2]
        if method == "GET" and what == "json":
            with lock:
                return self.reply(200, inspect(c))
        if method == "POST" and what == "kill":
            with lock:
                code, obj = do_kill(c, query.get("signal", ["SIGKILL"])[0])
            return self.reply(code, obj)
        if method == "POST" and what == "wait":
            code, obj = do_wait(c, query)   # blocks: not under the lock
            return self.reply(code, obj)
        if method == "POST" and what == "start":
            with lock:
                code, obj = do_start(c)
            return self.reply(code, obj)
        return self.reply(404, {"message": "page not found"})

    def do_GET(self):
        self.route("GET")

    def do_POST(self):
        self.route("POST")

    def do_DELETE(self):
        self.route("DELETE")


class Server(socketserver.ThreadingMixIn, socketserver.UnixStreamServer):
    daemon_threads = True


def stop(*a):
    raise SystemExit(0)


def main():
    global args
    ap = argparse.ArgumentParser()
    ap.add_argument("--socket", required=True)
    ap.add_argument("--log", required=True)
    ap.add_argument("--lab", required=True)
    ap.add_argument("--hide")
    ap.add_argument("--milvusadm", default=os.environ.get("MILVUSADM", "milvusadm"))
    ap.add_argument("--root", default="by-dev")
    args = ap.parse_args()
    if milvusadm("help", "lab", "start").returncode != 0:
        sys.exit("fake-dockerd: %s has no 'lab start'" % args.milvusadm)
    inventory()
    signal.signal(signal.SIGTERM, stop)
    signal.signal(signal.SIGINT, stop)
    try:
        os.unlink(args.socket)
    except FileNotFoundError:
        pass
    # Bound last: the socket's existence says the inventory is done.
    srv = Server(args.socket, Handler)
    log(dict(event="ready"))
    try:
        srv.serve_forever(poll_interval=0.1)
    finally:
        try:
            os.unlink(args.socket)
        except OSError:
            pass


if __name__ == "__main__":
    sys.exit(main())
