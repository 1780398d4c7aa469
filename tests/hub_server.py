"""A real HTTP server on 127.0.0.1 that speaks enough of the Hugging Face Hub protocol.

It serves ``hf_hub_download`` (HEAD/GET ``/{repo}/resolve/{revision}/{file}``) and the
calls ``HfApi.create_repo`` / ``upload_folder`` make (create, preupload, commit), storing
everything in memory. Tests point ``HF_ENDPOINT`` at it.
"""

from __future__ import annotations

import base64
import hashlib
import json
import re
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import unquote, urlparse


class FakeHub:
    def __init__(self) -> None:
        # repo_id -> {"refs": {branch: commit}, "commits": {commit: {path: bytes}}}
        self.repos: dict[str, dict] = {}
        self.requests: list[str] = []
        self.header_overrides: dict[str, str] = {}  # a misbehaving server (security tests)
        self._server = ThreadingHTTPServer(("127.0.0.1", 0), self._handler())
        self.url = f"http://127.0.0.1:{self._server.server_address[1]}"
        self._thread = threading.Thread(target=self._server.serve_forever, daemon=True)

    def __enter__(self) -> FakeHub:
        self._thread.start()
        return self

    def __exit__(self, *exc) -> None:
        self._server.shutdown()
        self._server.server_close()

    def add_repo(self, repo_id: str, files: dict[str, bytes], branch: str = "main") -> str:
        repo = self.repos.setdefault(repo_id, {"refs": {}, "commits": {}})
        parent = repo["commits"].get(repo["refs"].get(branch), {})
        content = {**parent, **files}
        commit = hashlib.sha1(
            repo_id.encode()
            + branch.encode()
            + json.dumps(sorted(content)).encode()
            + b"".join(content[k] for k in sorted(content))
        ).hexdigest()
        repo["commits"][commit] = content
        repo["refs"][branch] = commit
        return commit

    def _handler(self):
        hub = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args) -> None:  # keep test output clean
                pass

            def _send(self, code: int, body: bytes = b"", headers: dict | None = None) -> None:
                self.send_response(code)
                for key, value in (headers or {}).items():
                    self.send_header(key, hub.header_overrides.get(key, value))
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                if self.command != "HEAD":
                    self.wfile.write(body)

            def _json(self, code: int, obj) -> None:
                self._send(code, json.dumps(obj).encode(), {"Content-Type": "application/json"})

            def _error(self, code: int, error_code: str, message: str) -> None:
                body = json.dumps({"error": message}).encode()
                self._send(code, body, {"X-Error-Code": error_code, "X-Error-Message": message})

            def _resolve(self) -> None:
                path = unquote(urlparse(self.path).path)
                hub.requests.append(f"{self.command} {path}")
                match = re.match(r"^/(?:models/)?([^/]+/[^/]+)/resolve/([^/]+)/(.+)$", path)
                if not match:
                    return self._error(404, "EntryNotFound", "bad path")
                repo_id, revision, filename = match.groups()
                repo = hub.repos.get(repo_id)
                if repo is None:
                    return self._error(401, "RepoNotFound", "Repository not found")
                commit = repo["refs"].get(revision, revision)
                if commit not in repo["commits"]:
                    return self._error(404, "RevisionNotFound", "Invalid rev id")
                files = repo["commits"][commit]
                if filename not in files:
                    return self._error(404, "EntryNotFound", "Entry not found")
                data = files[filename]
                etag = hashlib.sha256(data).hexdigest()
                self._send(
                    200,
                    data,
                    {
                        "ETag": f'"{etag}"',
                        "X-Repo-Commit": commit,
                        "Content-Type": "application/octet-stream",
                    },
                )

            do_GET = _resolve  # noqa: N815
            do_HEAD = _resolve  # noqa: N815

            def do_POST(self) -> None:  # noqa: N802
                path = urlparse(self.path).path
                hub.requests.append(f"POST {path}")
                length = int(self.headers.get("Content-Length", 0))
                body = self.rfile.read(length)
                if path == "/api/validate-yaml":
                    return self._json(200, {"errors": [], "warnings": []})
                if path == "/api/repos/create":
                    payload = json.loads(body)
                    repo_id = (
                        f"{payload['organization']}/{payload['name']}"
                        if payload.get("organization")
                        else payload["name"]
                    )
                    if repo_id not in hub.repos:
                        hub.add_repo(repo_id, {".gitattributes": b""})
                    return self._json(200, {"url": f"{hub.url}/{repo_id}", "name": repo_id})
                match = re.match(
                    r"^/api/models/([^/]+/[^/]+)/(preupload|commit|branch)/(.+)$", path
                )
                if not match:
                    return self._error(404, "NotFound", f"unsupported {path}")
                repo_id, action, revision = match.groups()
                revision = unquote(revision)
                if repo_id not in hub.repos:
                    return self._error(401, "RepoNotFound", "Repository not found")
                if action == "preupload":
                    files = json.loads(body)["files"]
                    modes = [
                        {"path": f["path"], "uploadMode": "regular", "shouldIgnore": False}
                        for f in files
                    ]
                    return self._json(200, {"files": modes, "commitOid": None})
                if action == "branch":
                    repo = hub.repos[repo_id]
                    repo["refs"].setdefault(revision, repo["refs"]["main"])
                    return self._json(200, {})
                files = {}
                for line in body.decode().splitlines():
                    item = json.loads(line)
                    if item["key"] == "file":
                        value = item["value"]
                        files[value["path"]] = base64.b64decode(value["content"])
                commit = hub.add_repo(repo_id, files, revision)
                return self._json(
                    200,
                    {"commitUrl": f"{hub.url}/{repo_id}/commit/{commit}", "commitOid": commit},
                )

        return Handler
