"""A Content-Security-Policy on every page: the second layer under the cleaner.

GitHub Pages cannot send headers, so the policy is a ``<meta http-equiv>`` at the top of ``<head>``,
before any script. Scripts may come from the site itself and, inline, only those the theme wrote:
their SHA-256 hashes are listed, taken from the page's HTML outside the page's content (the part a
pull request writes, cleaned already). An event handler or an inline script that slipped past the
cleaner into the content does not run, and neither does a ``javascript:`` address.
"""

from __future__ import annotations

import base64
import hashlib
import re

#: Everything else the site loads comes from the site itself: no fonts, pictures or frames from elsewhere.
BASE_POLICY = (
    "default-src 'self'",
    "img-src 'self' data:",
    "font-src 'self' data:",
    # Material and the plugin set style attributes from their scripts and templates; contributor
    # styles never reach the page (the cleaner drops them).
    "style-src 'self' 'unsafe-inline'",
    "object-src 'none'",
    "base-uri 'self'",
    "form-action 'self'",
    "frame-src 'none'",
)
_SCRIPT = re.compile(r"<script\b([^>]*)>(.*?)</script\s*>", re.IGNORECASE | re.DOTALL)
_TYPE = re.compile(r"""\btype\s*=\s*["']?([^"'\s>]*)""", re.IGNORECASE)
#: Script types a browser runs; others (JSON, JSON-LD) are data, which a policy does not govern.
_RUNS = {"", "text/javascript", "application/javascript", "module"}
_HEAD = re.compile(r"<head\b[^>]*>(\s*<meta\s+charset=[^>]*>)?", re.IGNORECASE)
META_NAME = 'http-equiv="Content-Security-Policy"'


def script_hashes(html: str, content: str) -> list[str]:
    """``'sha256-…'`` of every inline script the browser would run, outside ``content`` (the page's own part)."""
    start = html.find(content) if content else -1
    end = start + len(content) if start >= 0 else -1
    hashes = []
    for match in _SCRIPT.finditer(html):
        if start <= match.start() < end:
            continue
        attributes, body = match.groups()
        kind = _TYPE.search(attributes)
        if "src=" in attributes.lower() or (kind and kind.group(1).lower() not in _RUNS):
            continue
        digest = base64.b64encode(hashlib.sha256(body.encode("utf-8")).digest()).decode("ascii")
        hashes.append(f"'sha256-{digest}'")
    return sorted(set(hashes))


def policy(hashes: list[str]) -> str:
    """The policy's text: the site's own scripts and the listed inline ones."""
    return "; ".join((*BASE_POLICY, " ".join(["script-src 'self'", *hashes]), "worker-src 'self'"))


def with_policy(html: str, content: str) -> str:
    """``html`` (a whole page) with the policy as the first thing in its ``<head>`` after the character set.

    A page without ``<head>`` (not a theme's page) is returned as it is.
    """
    head = _HEAD.search(html)
    if head is None or META_NAME in html[: head.end() + 200]:
        return html
    meta = f'\n<meta {META_NAME} content="{policy(script_hashes(html, content))}">'
    return html[: head.end()] + meta + html[head.end() :]
