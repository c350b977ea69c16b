"""``kg fetch``: articles from the web — pages and RSS/Atom feeds — read with trafilatura.

For live use; the tests exercise it only against a local HTTP server on loopback.
"""

from __future__ import annotations

import hashlib
import re
import urllib.error
import urllib.request
from collections.abc import Iterator
from xml.etree import ElementTree

from kg.errors import InputError
from kg.read import MAX_ARTICLE_BYTES, Source, parse_html, require_russian

USER_AGENT = "kg-fetch/0.1 (+https://w3id.org/kg-diplo)"
FEED_TYPES = ("rss", "atom", "xml")


def download(url: str, timeout: float = 30.0) -> tuple[bytes, str]:
    if not re.match(r"^https?://", url):
        raise InputError(f"{url}: only http and https URLs can be fetched")
    request = urllib.request.Request(url, headers={"User-Agent": USER_AGENT})
    try:
        with urllib.request.urlopen(request, timeout=timeout) as response:
            data = response.read(MAX_ARTICLE_BYTES + 1)
            kind = response.headers.get("Content-Type", "")
    except urllib.error.HTTPError as e:
        raise InputError(f"{url}: the server answered {e.code}") from e
    except (urllib.error.URLError, OSError, ValueError) as e:
        raise InputError(f"{url}: cannot fetch ({getattr(e, 'reason', e)})") from e
    if len(data) > MAX_ARTICLE_BYTES:
        raise InputError(f"{url}: over the {MAX_ARTICLE_BYTES:,}-byte limit per article")
    return data, kind


def url_id(url: str) -> str:
    """A stable article id for a URL: its last path segment and a short hash."""
    tail = re.sub(r"[^\w-]+", "-", url.rstrip("/").rsplit("/", 1)[-1])[:60].strip("-") or "page"
    return f"{tail}-{hashlib.sha1(url.encode('utf-8')).hexdigest()[:8]}"


def feed_links(data: bytes) -> list[str]:
    """The item links of an RSS 2.0 or Atom feed."""
    try:
        root = ElementTree.fromstring(data)
    except ElementTree.ParseError as e:
        raise InputError(f"not a valid feed: {e}") from e
    links = [el.text.strip() for el in root.iter("link") if el.text and el.text.strip()]  # RSS items
    links += [el.get("href") for el in root.iter("{http://www.w3.org/2005/Atom}link") if el.get("href")]
    channel = root.find("channel")
    own = channel.findtext("link", "").strip() if channel is not None else ""
    return [link for link in dict.fromkeys(links) if link != own]


def is_feed(data: bytes, kind: str) -> bool:
    head = data[:500].lstrip().lower()
    return any(t in kind for t in FEED_TYPES) or head.startswith(b"<?xml") and (b"<rss" in head or b"<feed" in head)


def sources(urls: list[str]) -> Iterator[Source]:
    """A Source per page; a feed's URL gives a Source per item."""
    for url in urls:
        try:
            data, kind = download(url)
        except InputError as e:
            yield Source(url, _raise(e))
            continue
        if is_feed(data, kind):
            try:
                links = feed_links(data)
            except InputError as e:
                yield Source(url, _raise(InputError(f"{url}: {e.message}")))
                continue
            for link in links:
                yield Source(link, lambda link=link: _page(link))
        else:
            yield Source(url, lambda url=url, data=data: require_russian(parse_html(data, url_id(url), url=url), url))


def _page(url: str):
    data, _ = download(url)
    return require_russian(parse_html(data, url_id(url), url=url), url)


def _raise(error: Exception):
    def load():
        raise error
    return load
