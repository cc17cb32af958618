"""The access log of `maillage serve` without secrets: gunicorn's logger (`--logger-class
maillage.core.access_log.AccessLogger`) with the secret parts of each path replaced by a
placeholder (maillage.core.secret_paths), and neither query string nor client address, whatever
the log format asks for."""

from __future__ import annotations

from urllib.parse import urlsplit

from gunicorn.glogging import Logger

from .secret_paths import scrub_path


class AccessLogger(Logger):
    """Every atom that can carry the path is scrubbed; the query string and the client's
    address are blanked."""

    def atoms(self, resp, req, environ, request_time) -> dict:
        atoms = super().atoms(resp, req, environ, request_time)
        path = scrub_path(environ.get("PATH_INFO") or "/")
        atoms["U"] = path
        atoms["r"] = f"{environ.get('REQUEST_METHOD')} {path} {environ.get('SERVER_PROTOCOL')}"
        atoms["q"] = "-"
        atoms["h"] = "-"
        for name in ("{path_info}e", "{raw_uri}e", "{request_uri}e"):
            if name in atoms:
                atoms[name] = path
        for name in (
            "{query_string}e",
            "{remote_addr}e",
            "{http_x_forwarded_for}e",
            "{x-forwarded-for}i",
            "{x-real-ip}i",
        ):
            if name in atoms:
                atoms[name] = "-"
        for name in ("f", "{referer}i", "{http_referer}e"):
            if atoms.get(name) not in (None, "-"):
                referrer = urlsplit(str(atoms[name]))
                atoms[name] = referrer._replace(path=scrub_path(referrer.path), query="").geturl()
        return atoms
