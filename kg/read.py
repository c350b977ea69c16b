"""Readers: turn files into ``Article`` records.

The founding format (agency articles as saved by the project's scrapers)::

     date 2025-10-11 #tag one #tag two
    Rubric

    Title

    Photo caption, фото - Новости Outlet от 11.10.2025 11:58 Фото: credit
    Body paragraph…
    …
    Author Name

Plain ``.txt`` files without that header are read as a body, with the first short
line taken as the title when a blank line follows it. The article id is always the
file name without its extension.
"""

from __future__ import annotations

import json
import re
import sys
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from kg.errors import InputError
from kg.model import Article

MAX_ARTICLE_BYTES = 5_000_000
TEXT_SUFFIXES = (".txt",)

_HEADER = re.compile(r"^\s*date\s+(\d{4}-\d{2}-\d{2})\s*(.*)$")
_BYLINE_STAMP = re.compile(r"(\d{2})\.(\d{2})\.(\d{4})(?:,?\s+(\d{1,2}):(\d{2}))?")
_BYLINE_OUTLET = re.compile(r"Новости\s+(.+?)\s+от\s+\d{2}\.\d{2}\.\d{4}")
_BYLINE_OFFICE = re.compile(r"^(?P<office>[^,]{3,120}),\s*\d{2}\.\d{2}\.\d{4}(?:\s+\d{1,2}:\d{2})?\s*$")
_PHOTO_LINE = re.compile(r"^\s*(Фото|Видео|Источник фото)\s*[:-]", re.I)
_DATELINE_AGENCY = re.compile(
    r"^[А-ЯЁA-Z][А-ЯЁA-Z .-]{1,40}[,.]\s*\d{1,2}\s+[а-яё]+\.?\s*"
    r"(?:[/(]\s*(?P<a>[^/)]{2,40}?)\s*[/)]|[–—-]\s*(?P<b>[^.–—]{2,40}?)\.|(?P<c>[А-ЯЁA-Z][А-ЯЁA-Z-]{2,40}))"
)
_AUTHOR = re.compile(r"^[А-ЯЁA-Z][а-яёa-z]+(?:[- ][А-ЯЁA-Z][а-яёa-z]+){1,2}$")


HTML_SUFFIXES = (".html", ".htm", ".xhtml")
JSONL_SUFFIXES = (".jsonl", ".ndjson")
INPUT_SUFFIXES = TEXT_SUFFIXES + HTML_SUFFIXES + JSONL_SUFFIXES
LEGACY_ENCODINGS = ("cp1251", "koi8_r")


@dataclass(frozen=True)
class Source:
    """One article to read: where it comes from, and how to load it (raises ``InputError``)."""

    origin: str
    load: Callable[[], Article]


def read_file(path: str | Path) -> Article:
    """Read one article file (text, founding format or HTML); ``InputError`` says why not."""
    path = Path(path)
    data = _read_bytes(path)
    if path.suffix.lower() in HTML_SUFFIXES:
        return parse_html(data, safe_stem(path), path=str(path))
    return parse_text(decode(data, path), safe_stem(path), path=str(path))


def _read_bytes(path: Path) -> bytes:
    try:
        size = path.stat().st_size
        if size > MAX_ARTICLE_BYTES:
            raise InputError(f"{path}: {size:,} bytes is over the {MAX_ARTICLE_BYTES:,}-byte limit per article",
                             "split the file or raise kg.read.MAX_ARTICLE_BYTES")
        return path.read_bytes()
    except OSError as e:
        raise InputError(f"{path}: cannot read the file: {e.strerror or e}") from e


def safe_stem(path: Path) -> str:
    return path.stem or path.name or "article"


def decode(data: bytes, origin: str | Path = "<bytes>") -> str:
    """Decode article bytes: UTF-8 (with or without BOM, or UTF-16 with a BOM), else the
    Cyrillic legacy encoding (Windows-1251 or KOI8-R) under which the text reads as Russian."""
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        try:
            return data.decode("utf-16")
        except UnicodeDecodeError as e:
            raise InputError(f"{origin}: broken UTF-16 text ({e.reason} at byte {e.start})") from e
    if b"\x00" in data[:4096]:
        raise InputError(f"{origin}: looks like a binary file, not text")
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as e:
        best = max(LEGACY_ENCODINGS, key=lambda enc: _russian_score(data.decode(enc, errors="replace")))
        text = data.decode(best, errors="replace")
        if _russian_score(text) < 0.5:
            raise InputError(f"{origin}: not UTF-8, Windows-1251 or KOI8-R text ({e.reason} at byte {e.start})") from e
        return text


def _russian_score(text: str) -> float:
    """Share of lowercase letters among Cyrillic letters: Russian prose is mostly lowercase,
    while text decoded with the wrong Cyrillic table comes out mostly in capitals."""
    cyrillic = [c for c in text if "а" <= c.lower() <= "я" or c in "ёЁ"]
    if not cyrillic:
        return 0.0
    return sum(c.islower() for c in cyrillic) / len(cyrillic)


def require_russian(article: Article, origin: str) -> Article:
    if not any("а" <= c.lower() <= "я" for c in article.text[:20000]):
        raise InputError(f"{origin}: no Russian text (no Cyrillic letters); kg reads Russian news")
    return article


def parse_text(text: str, article_id: str, path: str | None = None) -> Article:
    """Parse an article in the founding format, or a plain text body."""
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    if not text.strip():
        raise InputError(f"{path or article_id}: the article is empty")
    lines = text.split("\n")
    header = _HEADER.match(lines[0])
    if header:
        return _parse_founding(lines, header, article_id, path)
    return _parse_plain(lines, article_id, path)


def _parse_founding(lines: list[str], header: re.Match, article_id: str, path: str | None) -> Article:
    try:
        day = datetime.strptime(header.group(1), "%Y-%m-%d")
    except ValueError as e:
        raise InputError(f"{path or article_id}: the header's date {header.group(1)} is not a real day") from e
    tags = tuple(t.strip() for t in header.group(2).split("#") if t.strip())
    blocks = _blocks(lines[1:])
    rubric = title = None
    if len(blocks) >= 3 and len(blocks[0]) == 1 and len(blocks[0][0]) <= 60:
        rubric = blocks.pop(0)[0].strip()
    if blocks and len(blocks[0]) == 1:
        title = blocks.pop(0)[0].strip()
    body = [line for block in blocks for line in block + [""]]
    published, source, body = _take_byline(body, day)
    authors, body = _take_author(body)
    body_text = _join_body(body)
    if not body_text:
        raise InputError(f"{path or article_id}: the article has a header but no body text")
    source = source or _dateline_agency(body_text)
    return Article(id=article_id, text=body_text, title=title, published=published, source=source,
                   authors=authors, tags=tags, rubric=rubric, path=path)


def _parse_plain(lines: list[str], article_id: str, path: str | None) -> Article:
    blocks = _blocks(lines)
    title = None
    if len(blocks) > 1 and len(blocks[0]) == 1 and len(blocks[0][0]) <= 250 \
            and not blocks[0][0].rstrip().endswith((".", "!", "?")):
        title = blocks.pop(0)[0].strip()
    body_text = _join_body([line for block in blocks for line in block + [""]])
    return Article(id=article_id, text=body_text, title=title, source=_dateline_agency(body_text), path=path)


def _blocks(lines: list[str]) -> list[list[str]]:
    """Group lines into blocks separated by blank lines."""
    blocks: list[list[str]] = [[]]
    for line in lines:
        if line.strip():
            blocks[-1].append(line.rstrip())
        elif blocks[-1]:
            blocks.append([])
    return [b for b in blocks if b]


def _take_byline(body: list[str], day: datetime) -> tuple[datetime, str | None, list[str]]:
    """Find the byline (outlet + time stamp) among the first lines and remove it."""
    for i, line in enumerate(body[:3]):
        stamp = _BYLINE_STAMP.search(line)
        if not stamp or len(line) > 300:
            continue
        outlet = _BYLINE_OUTLET.search(line) or _BYLINE_OFFICE.match(line)
        if not outlet:
            continue
        d, m, y, hh, mm = stamp.groups()
        try:
            published = datetime(int(y), int(m), int(d), int(hh or 0), int(mm or 0))
        except ValueError:
            continue
        if published.date() != day.date():
            published = day
        return published, outlet.group(1).strip(), body[:i] + body[i + 1:]
    return day, None, body


def _take_author(body: list[str]) -> tuple[tuple[str, ...], list[str]]:
    """The last line is the author when it is a bare two- or three-word name."""
    filled = [i for i, line in enumerate(body) if line.strip()]
    if len(filled) < 2:
        return (), body
    last = body[filled[-1]].strip()
    if _AUTHOR.match(last):
        return (last,), body[:filled[-1]]
    return (), body


def _join_body(lines: list[str]) -> str:
    kept = [line.strip() for line in lines if not _PHOTO_LINE.match(line)]
    return "\n".join(_blocks_to_paragraphs(kept)).strip()


def _blocks_to_paragraphs(lines: list[str]) -> Iterator[str]:
    for block in _blocks(lines):
        yield from block


_MONTHS = "января|февраля|марта|апреля|мая|июня|июля|августа|сентября|октября|ноября|декабря"
_DATELINE_PLAIN = re.compile(rf"^[А-ЯЁ][А-ЯЁа-яё]+(?:[- ][А-ЯЁа-яё][а-яё]+)?,\s*\d{{1,2}}\s+(?:{_MONTHS})"
                             r"(?:\s+\d{4}(?:\s*(?:года|г\.))?)?\s*(?:\.|[–—-])\s+")


def dateline_end(text: str) -> int:
    """Where a dateline ("АСТАНА, 27 ноября. /Казинформ/ –", "Алма-Ата, 3 февраля.") ends, or 0."""
    match = _DATELINE_AGENCY.match(text)
    if not match:
        plain = _DATELINE_PLAIN.match(text)
        return plain.end() if plain else 0
    rest = re.match(r"[\s.]*[–—-]?\s*", text[match.end():])
    return match.end() + (rest.end() if rest else 0)


def _dateline_agency(text: str) -> str | None:
    match = _DATELINE_AGENCY.match(text)
    if not match:
        return None
    name = next(g for g in match.groups() if g)
    return name.strip(" .")


def iter_files(paths: Iterable[str | Path]) -> Iterator[Path]:
    """Expand files and folders (recursively) into input files, in a stable order."""
    for raw in paths:
        path = Path(raw)
        if path.is_dir():
            yield from sorted(p for p in path.rglob("*") if p.is_file() and p.suffix.lower() in INPUT_SUFFIXES
                              and not any(part.startswith(".") for part in p.relative_to(path).parts))
        elif path.exists():
            yield path
        else:
            raise InputError(f"{path}: no such file or folder")


def iter_sources(paths: Iterable[str | Path], stdin=None) -> Iterator[Source]:
    """Every article in files, folders (recursively), JSONL files (one article a line) and
    ``-`` (standard input), lazily: nothing is read before it is needed."""
    for raw in paths:
        if str(raw) == "-":
            yield from _stdin_sources(stdin if stdin is not None else sys.stdin.buffer)
            continue
        path = Path(raw)
        if not path.exists():
            yield Source(str(path), _fail(InputError(f"{path}: no such file or folder")))
            continue
        for file in iter_files([path]):
            if file.suffix.lower() in JSONL_SUFFIXES:
                yield from _jsonl_sources(file)
            else:
                yield Source(str(file), lambda file=file: require_russian(read_file(file), str(file)))


def _fail(error: Exception) -> Callable[[], Article]:
    def load() -> Article:
        raise error
    return load


def _stdin_sources(stream) -> Iterator[Source]:
    data = stream.read(MAX_ARTICLE_BYTES * 20 + 1)
    text = decode(data, "-") if data.strip() else ""
    if text.lstrip().startswith("{"):
        for number, line in enumerate(text.splitlines(), 1):
            if line.strip():
                yield Source(f"-:{number}", lambda line=line, number=number: parse_json_record(line, "stdin", number))
        return
    yield Source("-", lambda: require_russian(parse_text(text, "stdin-" + _short_hash(text)), "-"))


def _jsonl_sources(path: Path) -> Iterator[Source]:
    try:
        handle = path.open("rb")
    except OSError as e:
        yield Source(str(path), _fail(InputError(f"{path}: cannot read the file: {e.strerror or e}")))
        return
    with handle:
        for number, raw in enumerate(handle, 1):
            if raw.strip():
                yield Source(f"{path}:{number}",
                             lambda raw=raw, number=number: parse_json_record(raw, path.stem, number, str(path)))


def parse_json_record(raw: bytes | str, stem: str, number: int, path: str | None = None) -> Article:
    """One JSONL line: ``{"id", "text", "title", "published", "url", "source", "authors", "tags"}``."""
    origin = f"{path or stem}:{number}"
    if len(raw) > MAX_ARTICLE_BYTES:
        raise InputError(f"{origin}: {len(raw):,} bytes is over the {MAX_ARTICLE_BYTES:,}-byte limit per article")
    try:
        record = json.loads(raw if isinstance(raw, str) else decode(raw, origin))
    except (json.JSONDecodeError, RecursionError) as e:
        raise InputError(f"{origin}: not a JSON object ({getattr(e, 'msg', 'too deeply nested')})") from e
    if not isinstance(record, dict):
        raise InputError(f"{origin}: a line must be a JSON object, not {type(record).__name__}")
    text = record.get("text") or record.get("body") or record.get("content")
    if not isinstance(text, str) or not text.strip():
        raise InputError(f"{origin}: the record has no \"text\"")
    article = Article(id=str(record.get("id") or f"{stem}-{number}")[:500], text=text.replace("\r\n", "\n").strip(),
                      title=_str(record.get("title")), published=_when(record.get("published") or record.get("date")),
                      source=_str(record.get("source")), url=_str(record.get("url")),
                      authors=_strings(record.get("authors") or record.get("author")),
                      tags=_strings(record.get("tags")), path=path)
    return require_russian(article, origin)


def _str(value) -> str | None:
    return str(value).strip()[:2000] if isinstance(value, (str, int, float)) and str(value).strip() else None


def _strings(value) -> tuple[str, ...]:
    if isinstance(value, str):
        return (value.strip()[:500],) if value.strip() else ()
    if isinstance(value, list):
        return tuple(str(v).strip()[:500] for v in value if isinstance(v, (str, int)) and str(v).strip())[:50]
    return ()


def _when(value) -> datetime | None:
    if not isinstance(value, str) or not value.strip():
        return None
    text = value.strip().replace("Z", "+00:00")
    for parse in (datetime.fromisoformat, lambda v: datetime.strptime(v, "%d.%m.%Y %H:%M"),
                  lambda v: datetime.strptime(v, "%d.%m.%Y")):
        try:
            when = parse(text)
            return when.replace(tzinfo=None)
        except ValueError:
            continue
    return None


def _short_hash(text: str) -> str:
    import hashlib

    return hashlib.sha1(text.encode("utf-8")).hexdigest()[:10]


def parse_html(data: bytes, article_id: str, path: str | None = None, url: str | None = None) -> Article:
    """A web page: main text, title, date, author, canonical URL (trafilatura)."""
    origin = path or url or article_id
    if len(data) > MAX_ARTICLE_BYTES:
        raise InputError(f"{origin}: {len(data):,} bytes is over the {MAX_ARTICLE_BYTES:,}-byte limit per article")
    html = decode(data, origin)
    try:
        import trafilatura

        document = trafilatura.bare_extraction(html, url=url, with_metadata=True, include_comments=False)
    except Exception as e:  # trafilatura and lxml raise many kinds on broken markup
        raise InputError(f"{origin}: cannot parse the HTML ({type(e).__name__})") from e
    if document is None:
        raise InputError(f"{origin}: no article text found in the HTML")
    meta = document if isinstance(document, dict) else document.as_dict()
    text = (meta.get("text") or "").strip()
    if not text:
        raise InputError(f"{origin}: no article text found in the HTML")
    return Article(id=article_id, text=text, title=_str(meta.get("title")), published=_when(meta.get("date")),
                   source=_str(meta.get("sitename") or meta.get("hostname")), url=_str(meta.get("url")) or url,
                   authors=_strings([a.strip() for a in (meta.get("author") or "").split(";") if a.strip()]),
                   tags=_strings(meta.get("tags") or meta.get("categories")), path=path)
