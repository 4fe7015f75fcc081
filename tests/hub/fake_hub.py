#!/usr/bin/env python3
"""A stand-in for the Hugging Face hub on 127.0.0.1, for the model manager's tests.

Serves a local diffusers folder as the repo ORG/NAME with the hub's URL shapes and headers:
  GET /api/models/ORG/NAME/revision/REV[?blobs=true]  -> {"id", "sha", "siblings": [{"rfilename", "size",
                                                          "blobId", "lfs": {"sha256", "size", "pointerSize"}}]}
  GET|HEAD /ORG/NAME/resolve/REV/PATH                  -> small files: 200 with ETag (git blob id), X-Repo-Commit;
                                                          LFS files (*.safetensors, *.bin): 302 to /cdn/SHA256 with
                                                          X-Linked-Etag, X-Linked-Size, X-Repo-Commit
  GET|HEAD /cdn/SHA256                                 -> the bytes, with Range support (206, Content-Range)
Extra listed files that are never served unless asked (README.md, .gitattributes, a .bin beside a .safetensors,
an fp16 variant) check that the client downloads only what the engine needs.

Fault switches (each may repeat):
  --drop PATH:N     the first time PATH's bytes are sent, close the connection after N bytes (Content-Length says all)
  --corrupt PATH    flip one byte in the middle of PATH's content (the listing keeps the true hash)
  --missing PATH    answer 404 (X-Error-Code: EntryNotFound) for PATH
  --slow PATH:BPS   send PATH at about BPS bytes per second
  --etag PATH:VALUE list PATH without its blobId and send ETag VALUE for it (a broken or hostile server)
  --listed-size PATH:N  list PATH with size N (a listing that does not match the file served)
  --token TOKEN     answer 401 to any request without "Authorization: Bearer TOKEN" (a gated repo)
  --listing-status N  answer the file listing with HTTP N and an HTML page (a hub that is down, a captive portal)
Prints "PORT <n>" on stdout once listening; one line per request to --log: "METHOD PATH range=<Range header>".
"""
import argparse
import hashlib
import json
import os
import sys
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import unquote, urlsplit

LFS_SUFFIXES = (".safetensors", ".bin", ".ckpt", ".pt")


def git_blob_id(data: bytes) -> str:
    return hashlib.sha1(b"blob %d\0" % len(data) + data).hexdigest()


class Repo:
    def __init__(self, folder, repo_id, extras):
        self.repo_id = repo_id
        self.files = {}  # path -> bytes
        for root, _, names in os.walk(folder):
            for n in sorted(names):
                full = os.path.join(root, n)
                rel = os.path.relpath(full, folder).replace(os.sep, "/")
                with open(full, "rb") as f:
                    self.files[rel] = f.read()
        if extras:
            self.files["README.md"] = b"# fake ConsistI2V\n"
            self.files[".gitattributes"] = b"*.safetensors filter=lfs diff=lfs merge=lfs -text\n"
            self.files["unet/diffusion_pytorch_model.bin"] = b"not needed: the safetensors file wins" * 100
            self.files["vae/diffusion_pytorch_model.fp16.safetensors"] = b"fp16 variant, not asked for" * 100
        self.meta = {}
        for p, data in self.files.items():
            m = {"rfilename": p, "size": len(data), "blobId": git_blob_id(data)}
            if p.endswith(LFS_SUFFIXES):
                m["lfs"] = {"sha256": hashlib.sha256(data).hexdigest(), "size": len(data), "pointerSize": 134}
            self.meta[p] = m
        h = hashlib.sha1()
        for p in sorted(self.meta):
            h.update(p.encode() + self.meta[p]["blobId"].encode())
        self.commit = h.hexdigest()
        self.by_sha = {m["lfs"]["sha256"]: p for p, m in self.meta.items() if "lfs" in m}


class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    server_version = "FakeHub/1"

    def log_message(self, fmt, *args):  # quiet stderr
        pass

    def _log(self):
        if self.server.log_path:
            with self.server.lock, open(self.server.log_path, "a") as f:
                f.write("%s %s range=%s\n" % (self.command, self.path, self.headers.get("Range", "")))

    def _send(self, status, body=b"", headers=None):
        self.send_response(status)
        for k, v in (headers or {}).items():
            self.send_header(k, v)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(body)

    def _error(self, status, code, message):
        self._send(status, json.dumps({"error": message}).encode(),
                   {"Content-Type": "application/json", "X-Error-Code": code, "X-Error-Message": message})

    def do_HEAD(self):
        self.do_GET()

    def do_GET(self):
        self._log()
        srv = self.server
        repo = srv.repo
        if srv.token and self.headers.get("Authorization", "") != "Bearer " + srv.token:
            return self._error(401, "GatedRepo", "Invalid credentials in Authorization header")
        url = urlsplit(self.path)
        path = unquote(url.path)
        api = "/api/models/%s/revision/" % repo.repo_id
        resolve = "/%s/resolve/" % repo.repo_id
        if path.startswith("/api/models/"):
            if srv.listing_status:
                return self._send(srv.listing_status, b"<html><body>Service unavailable</body></html>",
                                  {"Content-Type": "text/html"})
            if not path.startswith(api):
                return self._error(404, "RepoNotFound", "Repository not found")
            rev = path[len(api):]
            if rev not in ("main", repo.commit):
                return self._error(404, "RevisionNotFound", "Invalid rev id: " + rev)
            blobs = "blobs=true" in (url.query or "")
            sib = []
            for p in sorted(repo.meta):
                m = repo.meta[p]
                e = dict(m) if blobs else {"rfilename": p}
                if p in srv.etag:
                    e.pop("blobId", None)
                if p in srv.listed_size:
                    e["size"] = srv.listed_size[p]
                    e.pop("lfs", None)
                sib.append(e)
            body = json.dumps({"id": repo.repo_id, "modelId": repo.repo_id, "sha": repo.commit, "siblings": sib}).encode()
            return self._send(200, body, {"Content-Type": "application/json"})
        if srv.portal and (path.startswith(resolve) or path.startswith("/cdn/")):
            # a captive portal or proxy: every file request gets its login page, 200 OK
            return self._send(200, b"<html><body>Please log in to use the network</body></html>",
                              {"Content-Type": "text/html; charset=utf-8"})
        if path.startswith(resolve):
            rest = path[len(resolve):]
            rev, _, fpath = rest.partition("/")
            if rev not in ("main", repo.commit):
                return self._error(404, "RevisionNotFound", "Invalid rev id: " + rev)
            if fpath not in repo.meta or fpath in srv.missing:
                return self._error(404, "EntryNotFound", "Entry not found")
            m = repo.meta[fpath]
            common = {"X-Repo-Commit": repo.commit}
            if "lfs" in m:
                sha = m["lfs"]["sha256"]
                common.update({"X-Linked-Etag": '"%s"' % sha, "X-Linked-Size": str(m["size"]), "ETag": '"%s"' % m["blobId"],
                               "Location": "/cdn/%s?file=%s" % (sha, fpath.replace("/", "%2F"))})
                return self._send(302, b"", common)
            common["ETag"] = '"%s"' % srv.etag.get(fpath, m["blobId"])
            return self._serve(fpath, common)
        if path.startswith("/cdn/"):
            sha = path[len("/cdn/"):]
            if sha not in repo.by_sha:
                return self._error(404, "EntryNotFound", "no such object")
            return self._serve(repo.by_sha[sha], {"ETag": '"%s"' % sha})
        return self._error(404, "NotFound", "no route for " + path)

    def _serve(self, fpath, headers):
        srv = self.server
        data = srv.repo.files[fpath]
        if fpath in srv.corrupt:
            b = bytearray(data)
            b[len(b) // 2] ^= 0x40
            data = bytes(b)
        start = 0
        status = 200
        rng = self.headers.get("Range")
        headers = dict(headers)
        headers["Accept-Ranges"] = "bytes"
        if rng:
            try:
                unit, _, spec = rng.partition("=")
                first, _, last = spec.partition("-")
                start = int(first)
                end = int(last) if last else len(data) - 1
                assert unit.strip() == "bytes" and 0 <= start <= end
            except (ValueError, AssertionError):
                return self._send(416, b"", {"Content-Range": "bytes */%d" % len(data)})
            if start >= len(data):
                return self._send(416, b"", {"Content-Range": "bytes */%d" % len(data)})
            end = min(end, len(data) - 1)
            headers["Content-Range"] = "bytes %d-%d/%d" % (start, end, len(data))
            data = data[start:end + 1]
            status = 206
        self.send_response(status)
        for k, v in headers.items():
            self.send_header(k, v)
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        if self.command == "HEAD":
            return
        drop = None
        with srv.lock:
            if fpath in srv.drop:
                drop = srv.drop.pop(fpath)  # only once
        bps = srv.slow.get(fpath)
        sent = 0
        chunk = 64 * 1024
        while sent < len(data):
            n = min(chunk, len(data) - sent)
            if drop is not None and sent + n > drop:
                n = drop - sent
                if n > 0:
                    self.wfile.write(data[sent:sent + n])
                self.wfile.flush()
                self.close_connection = True
                try:
                    import socket
                    self.connection.shutdown(socket.SHUT_RDWR)
                except OSError:
                    pass
                return
            try:
                self.wfile.write(data[sent:sent + n])
            except (BrokenPipeError, ConnectionResetError):
                return
            sent += n
            if bps:
                time.sleep(n / float(bps))


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--folder", required=True, help="diffusers folder to serve")
    ap.add_argument("--repo", default="TIGER-Lab/ConsistI2V")
    ap.add_argument("--port", type=int, default=0)
    ap.add_argument("--log", default="")
    ap.add_argument("--no-extras", action="store_true", help="list only the folder's own files")
    ap.add_argument("--drop", action="append", default=[])
    ap.add_argument("--corrupt", action="append", default=[])
    ap.add_argument("--missing", action="append", default=[])
    ap.add_argument("--slow", action="append", default=[])
    ap.add_argument("--etag", action="append", default=[])
    ap.add_argument("--listed-size", action="append", default=[])
    ap.add_argument("--token", default="")
    ap.add_argument("--listing-status", type=int, default=0)
    ap.add_argument("--portal", action="store_true", help="answer file requests with a 200 HTML login page")
    a = ap.parse_args()
    srv = ThreadingHTTPServer(("127.0.0.1", a.port), Handler)
    srv.daemon_threads = True
    srv.repo = Repo(a.folder, a.repo, not a.no_extras)
    srv.log_path = a.log
    srv.lock = threading.Lock()
    srv.drop = {p.rsplit(":", 1)[0]: int(p.rsplit(":", 1)[1]) for p in a.drop}
    srv.corrupt = set(a.corrupt)
    srv.missing = set(a.missing)
    srv.slow = {p.rsplit(":", 1)[0]: int(p.rsplit(":", 1)[1]) for p in a.slow}
    srv.etag = dict(p.split(":", 1) for p in a.etag)
    srv.listed_size = {p.rsplit(":", 1)[0]: int(p.rsplit(":", 1)[1]) for p in a.listed_size}
    srv.token = a.token
    srv.listing_status = a.listing_status
    srv.portal = a.portal
    print("PORT %d" % srv.server_address[1], flush=True)
    print("COMMIT %s" % srv.repo.commit, flush=True)
    try:
        srv.serve_forever()
    except KeyboardInterrupt:
        pass


if __name__ == "__main__":
    sys.exit(main())
