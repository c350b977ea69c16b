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
line taken as the title when a blank line follows it. A file's article id is its path
under the folder named, without a ``.txt`` extension (``a/x.txt`` → ``a/x``, ``x.html``);
a JSONL record's is its ``id``.
"""

from __future__ import annotations

import codecs
import json
import os
import re
import stat
import sys
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, replace
from datetime import datetime
from pathlib import Path

from kg.errors import InputError, SkippedInput
from kg.model import Article

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
CYRILLIC_ENCODINGS = ("cp1251", "koi8_r", "koi8_u", "cp866", "iso8859_5", "mac_cyrillic")
MAX_CHARS = 2_000_000  # default cap on an article's text (kg ingest --max-chars)
MAX_ID_CHARS = 500  # longer ids (from JSONL) keep their start and gain a hash of the whole
REPLACEMENT = "\ufffd"
_BAD_CHARS = re.compile("[\x00-\x08\x0e-\x1f\x7f-\x9f\ud800-\udfff\ufffe\uffff]")
_SURROGATES = re.compile("[\ud800-\udfff]")
_BREAKS = str.maketrans({"\x0b": "\n", "\x0c": "\n"})


def byte_limit(max_chars: int = MAX_CHARS) -> int:
    """The most bytes read for one article: enough for ``max_chars`` characters in any encoding."""
    return 4 * max_chars


MAX_ARTICLE_BYTES = byte_limit()


@dataclass(frozen=True)
class Source:
    """One article to read: where it comes from, and how to load it (raises ``InputError``)."""

    origin: str
    load: Callable[[], Article]


@dataclass(frozen=True)
class Decoded:
    """Text decoded from bytes: the encoding used and how many undecodable bytes were replaced."""

    text: str
    encoding: str
    replaced: int = 0


def read_file(path: str | Path, article_id: str | None = None, max_bytes: int = MAX_ARTICLE_BYTES) -> Article:
    """Read one article file (text, founding format or HTML); ``InputError`` says why not.

    The id defaults to ``file_id(path.name)``; folders give ids relative to themselves."""
    path = Path(path)
    article_id = article_id or file_id(path.name)
    data = read_bytes(path, max_bytes)
    if path.suffix.lower() in HTML_SUFFIXES:
        return parse_html(data, article_id, path=str(path), max_bytes=max_bytes)
    decoded = decode_bytes(data, path)
    text, cleaned = clean_text(decoded.text)
    article = parse_text(text, article_id, path=str(path))
    return replace(article, encoding=decoded.encoding,
                   warnings=_repairs(str(path), decoded.replaced, cleaned, decoded.encoding))


def file_id(relative: str) -> str:
    """An article id from a file's path relative to the folder named (``a/x.txt`` → ``a/x``):
    the extension is kept except ``.txt``, so ``x.txt`` and ``x.html`` are two articles."""
    if relative.lower().endswith(TEXT_SUFFIXES) and len(relative) > 4 and not relative.endswith("/.txt"):
        return relative[:-4]
    return relative


def read_bytes(path: Path, limit: int = MAX_ARTICLE_BYTES) -> bytes:
    """A regular file's bytes, at most ``limit`` of them: FIFOs, devices and sockets are refused
    unopened (reading one would block or never end)."""
    try:
        info = path.stat()
        _require_regular(path, info.st_mode)
        if info.st_size > limit:
            raise _too_big(path, info.st_size, limit)
        fd = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_NOCTTY", 0))
        with os.fdopen(fd, "rb") as handle:
            _require_regular(path, os.fstat(handle.fileno()).st_mode)  # swapped since the stat
            data = handle.read(limit + 1)
    except OSError as e:
        raise InputError(f"{path}: cannot read the file: {e.strerror or e}") from e
    if len(data) > limit:
        raise _too_big(path, len(data), limit)
    return data


def _too_big(origin, size: int, limit: int) -> InputError:
    return InputError(f"{origin}: {size:,} bytes is over the {limit:,}-byte limit per article (set by --max-chars)",
                      "split it, or raise --max-chars")


def _require_regular(path: Path, mode: int) -> None:
    if not stat.S_ISREG(mode):
        raise InputError(f"{path}: not a regular file ({_kind(mode)}); not read")


def _kind(mode: int) -> str:
    kinds = ((stat.S_ISDIR, "a folder"), (stat.S_ISFIFO, "a FIFO"), (stat.S_ISCHR, "a character device"),
             (stat.S_ISBLK, "a block device"), (stat.S_ISSOCK, "a socket"))
    return next((name for test, name in kinds if test(mode)), "not a file")


def safe_stem(path: Path) -> str:
    return path.stem or path.name or "article"


def decode(data: bytes, origin: str | Path = "<bytes>") -> str:
    """Decode article bytes (see ``decode_bytes``)."""
    return decode_bytes(data, origin).text


def decode_bytes(data: bytes, origin: str | Path = "<bytes>") -> Decoded:
    """Decode article bytes as a whole: UTF-8 (with or without BOM; a few bad bytes in
    otherwise valid UTF-8 are replaced, not taken for another encoding), UTF-16 with a BOM,
    else the Cyrillic encoding that ``charset-normalizer`` finds and under which the text
    reads as Russian (Windows-1251, KOI8-R, CP866, ISO 8859-5…)."""
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        try:
            return Decoded(data.decode("utf-16"), "utf-16")
        except UnicodeDecodeError as e:
            raise InputError(f"{origin}: broken UTF-16 text ({e.reason} at byte {e.start})") from e
    if b"\x00" in data[:4096]:
        raise InputError(f"{origin}: looks like a binary file, not text")
    body, name = (data[3:], "utf-8-sig") if data.startswith(b"\xef\xbb\xbf") else (data, "utf-8")
    try:
        return Decoded(body.decode("utf-8"), name)
    except UnicodeDecodeError as e:
        error = e
    lenient = _mostly_utf8(body, name)
    return lenient or _detect_cyrillic(data, origin, error)


def _mostly_utf8(data: bytes, name: str) -> Decoded | None:
    """UTF-8 with a few undecodable bytes (at most one per hundred valid non-ASCII characters)."""
    text = data.decode("utf-8", errors="replace")
    bad = text.count(REPLACEMENT) - data.count("\ufffd".encode("utf-8"))
    valid = len(text) - len(text.encode("ascii", "ignore")) - bad
    return Decoded(text, name, bad) if bad * 100 <= valid else None


def _detect_cyrillic(data: bytes, origin, error: UnicodeDecodeError) -> Decoded:
    from charset_normalizer import from_bytes

    candidates = [match.encoding for match in from_bytes(data, cp_isolation=list(CYRILLIC_ENCODINGS))]
    for encoding in candidates + [e for e in LEGACY_ENCODINGS if e not in candidates]:
        text = data.decode(encoding, errors="replace")
        if _russian_score(text) >= 0.5:
            return Decoded(text, codecs.lookup(encoding).name, text.count(REPLACEMENT))
    raise InputError(f"{origin}: neither UTF-8 nor a Cyrillic encoding ({error.reason} at byte {error.start})")


def clean_text(text: str) -> tuple[str, int]:
    """Text with lone surrogates and control characters (other than tab and line breaks)
    replaced by U+FFFD, and how many were replaced; vertical tab and form feed become line breaks."""
    text = text.translate(_BREAKS)
    cleaned, count = _BAD_CHARS.subn(REPLACEMENT, text)
    return cleaned, count


def _repairs(origin: str, replaced: int, cleaned: int, encoding: str | None = None) -> tuple[str, ...]:
    notes = []
    if replaced:
        notes.append(f"{origin}: {replaced} undecodable byte(s) replaced with U+FFFD (read as {encoding})")
    if cleaned:
        notes.append(f"{origin}: {cleaned} lone surrogate(s) or control character(s) replaced with U+FFFD")
    return tuple(notes)


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


@dataclass(frozen=True)
class Found:
    """A file in a folder walk: its path, its path under the folder named (for its id), and
    the error that stops it being read (a failed article) or passes it over (``SkippedInput``)."""

    path: Path
    relative: str
    problem: InputError | None = None


def walk(root: Path) -> Iterator[Found]:
    """The input files under a folder, depth first in name order, hidden names left out.
    Links to folders are followed once (no loops); a second name for a file read already,
    FIFOs, devices and sockets are passed over with a reason; broken links are problems."""
    seen: set[tuple[int, int]] = set()
    try:
        info = root.stat()
    except OSError as e:
        yield Found(root, root.name, InputError(f"{root}: cannot read the folder: {e.strerror or e}"))
        return
    seen.add((info.st_dev, info.st_ino))
    yield from _walk(root, "", seen)


def _walk(folder: Path, prefix: str, seen: set[tuple[int, int]]) -> Iterator[Found]:
    try:
        names = sorted(entry.name for entry in os.scandir(folder))
    except OSError as e:
        yield Found(folder, prefix, InputError(f"{folder}: cannot list the folder: {e.strerror or e}"))
        return
    for name in names:
        if not name.startswith("."):
            yield from _entry(folder / name, prefix + name, seen)


def _entry(path: Path, relative: str, seen: set[tuple[int, int]]) -> Iterator[Found]:
    wanted = path.suffix.lower() in INPUT_SUFFIXES
    try:
        info = path.stat()
    except OSError as e:
        if wanted:  # a broken link or a link loop where an article was meant to be
            yield Found(path, relative, InputError(f"{path}: cannot read the file: {e.strerror or e}"))
        return
    key = (info.st_dev, info.st_ino)
    if stat.S_ISDIR(info.st_mode):
        if key in seen:
            yield Found(path, relative, SkippedInput(f"{path}: a link to a folder read already (a loop?); passed over"))
            return
        seen.add(key)
        yield from _walk(path, relative + "/", seen)
    elif wanted and not stat.S_ISREG(info.st_mode):
        yield Found(path, relative, SkippedInput(f"{path}: not a regular file ({_kind(info.st_mode)}); passed over"))
    elif wanted and key in seen:
        yield Found(path, relative, SkippedInput(f"{path}: a second name for a file read already; passed over"))
    elif wanted:
        seen.add(key)
        yield Found(path, relative)


def iter_files(paths: Iterable[str | Path]) -> Iterator[Path]:
    """Expand files and folders (recursively) into the input files to read, in a stable order."""
    for raw in paths:
        path = Path(raw)
        if path.is_dir():
            yield from (found.path for found in walk(path) if found.problem is None)
        elif path.exists():
            yield path
        else:
            raise InputError(f"{path}: no such file or folder")


def iter_sources(paths: Iterable[str | Path], stdin=None, max_bytes: int = MAX_ARTICLE_BYTES) -> Iterator[Source]:
    """Every article in files, folders (recursively), JSONL files (one article a line) and
    ``-`` (standard input), lazily: nothing is read before it is needed. A file's article id
    is its path under the folder named (``file_id``); a JSONL record's is its ``id``."""
    for raw in paths:
        if str(raw) == "-":
            yield from _stdin_sources(stdin if stdin is not None else sys.stdin.buffer, max_bytes)
            continue
        path = Path(raw)
        if path.is_dir():
            for found in walk(path):
                yield from _file_sources(found, max_bytes)
        elif path.exists() or path.is_symlink():
            yield from _file_sources(Found(path, path.name), max_bytes)
        else:
            yield Source(str(path), _fail(InputError(f"{path}: no such file or folder")))


def _file_sources(found: Found, max_bytes: int) -> Iterator[Source]:
    path, origin = found.path, str(found.path)
    if found.problem is not None:
        yield Source(origin, _fail(found.problem))
    elif path.suffix.lower() in JSONL_SUFFIXES:
        yield from _jsonl_sources(path, file_id(found.relative), max_bytes)
    else:
        article_id = file_id(found.relative)
        yield Source(origin, lambda: require_russian(read_file(path, article_id, max_bytes), origin))


def _fail(error: Exception) -> Callable[[], Article]:
    def load() -> Article:
        raise error
    return load


def capped_lines(handle, limit: int) -> Iterator[tuple[int, bytes | None]]:
    """Numbered lines of a binary stream, each read up to ``limit`` bytes: a longer line is
    skipped to its end without being held in memory and given as ``None``."""
    number = 0
    while True:
        line = handle.readline(limit + 1)
        if not line:
            return
        number += 1
        if len(line) > limit and not line.endswith(b"\n"):
            while (rest := handle.readline(1 << 20)) and not rest.endswith(b"\n"):
                pass
            line = None
        yield number, line


def _stdin_sources(stream, max_bytes: int) -> Iterator[Source]:
    head = stream.read(1)
    while head and head.isspace():
        head = stream.read(1)
    if head == b"{":
        for number, raw in capped_lines(_Prefixed(head, stream), max_bytes):
            if raw is None or raw.strip():
                yield Source(f"-:{number}", lambda raw=raw, number=number:
                             parse_json_record(raw, None, number, "-", max_bytes))
        return
    data = head + stream.read(max_bytes + 1)
    if len(data) > max_bytes:
        yield Source("-", _fail(_too_big("-", len(data), max_bytes)))
        return
    yield Source("-", lambda: require_russian(_stdin_article(data), "-"))


def _stdin_article(data: bytes) -> Article:
    decoded = decode_bytes(data, "-") if data.strip() else Decoded("", "utf-8")
    text, cleaned = clean_text(decoded.text)
    article = parse_text(text, "stdin-" + _short_hash(text))
    return replace(article, encoding=decoded.encoding, warnings=_repairs("-", decoded.replaced, cleaned,
                                                                          decoded.encoding))


class _Prefixed:
    """A stream with bytes already read put back in front (for ``readline``)."""

    def __init__(self, head: bytes, stream) -> None:
        self.head, self.stream = head, stream

    def readline(self, size: int = -1) -> bytes:
        head, self.head = self.head, b""
        return head + self.stream.readline(size - len(head) if size >= 0 else -1)


def _jsonl_sources(path: Path, stem: str, max_bytes: int) -> Iterator[Source]:
    try:
        data_check = path.stat()
        _require_regular(path, data_check.st_mode)
        fd = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_NOCTTY", 0))
        handle = os.fdopen(fd, "rb")
    except (OSError, InputError) as e:
        error = e if isinstance(e, InputError) else InputError(f"{path}: cannot read the file: {e.strerror or e}")
        yield Source(str(path), _fail(error))
        return
    with handle:
        for number, raw in capped_lines(handle, max_bytes):
            if raw is None or raw.strip():
                yield Source(f"{path}:{number}", lambda raw=raw, number=number:
                             parse_json_record(raw, stem, number, str(path), max_bytes))


def parse_json_record(raw: bytes | str | None, stem: str | None, number: int, path: str | None = None,
                      max_bytes: int = MAX_ARTICLE_BYTES) -> Article:
    """One JSONL line: ``{"id", "text", "title", "published", "url", "source", "authors", "tags"}``.

    Without an ``id`` the record is ``stem:number`` (or, from standard input, a hash of its
    text). Lone surrogates and control characters are replaced, with a warning."""
    origin = f"{path or stem}:{number}"
    if raw is None or len(raw) > max_bytes:
        raise _too_big(origin, len(raw) if raw is not None else max_bytes + 1, max_bytes)
    try:
        record = json.loads(raw if isinstance(raw, str) else decode_bytes(raw, origin).text)
    except (json.JSONDecodeError, RecursionError) as e:
        raise InputError(f"{origin}: not a JSON object ({getattr(e, 'msg', 'too deeply nested')})") from e
    if not isinstance(record, dict):
        raise InputError(f"{origin}: a line must be a JSON object, not {type(record).__name__}")
    record, cleaned = _clean_record(record)
    text = record.get("text") or record.get("body") or record.get("content")
    if not isinstance(text, str) or not text.strip():
        raise InputError(f"{origin}: the record has no \"text\"")
    text = text.replace("\r\n", "\n").strip()
    given = record.get("id")
    article_id = record_id(given) if given not in (None, "") else (
        f"{stem}:{number}" if stem is not None else "stdin-" + _short_hash(text))
    article = Article(id=article_id, text=text, title=_str(record.get("title")),
                      published=_when(record.get("published") or record.get("date")),
                      source=_str(record.get("source")), url=_str(record.get("url")),
                      authors=_strings(record.get("authors") or record.get("author")),
                      tags=_strings(record.get("tags")), path=path, encoding="utf-8",
                      warnings=_repairs(origin, 0, cleaned))
    return require_russian(article, origin)


def record_id(value) -> str:
    """A JSONL record's id, whole; one over ``MAX_ID_CHARS`` keeps its start and gains a hash
    of the whole, so two long ids that share a start stay two articles."""
    text = _SURROGATES.sub(REPLACEMENT, str(value))
    if len(text) <= MAX_ID_CHARS:
        return text
    import hashlib

    return f"{text[:MAX_ID_CHARS - 17]}#{hashlib.sha256(text.encode('utf-8')).hexdigest()[:16]}"


def _clean_record(record: dict) -> tuple[dict, int]:
    """The record's string values (and strings in its lists) cleaned; ``id`` keeps its control
    characters (it names the article) and loses only lone surrogates (see ``record_id``)."""
    out, total = {}, 0
    for key, value in record.items():
        if key == "id":
            out[key] = value
        elif isinstance(value, str):
            out[key], count = clean_text(value)
            total += count
        elif isinstance(value, list):
            items = [clean_text(v) if isinstance(v, str) else (v, 0) for v in value]
            out[key] = [v for v, _ in items]
            total += sum(c for _, c in items)
        else:
            out[key] = value
    return out, total


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

    return hashlib.sha1(text.encode("utf-8", "surrogatepass")).hexdigest()[:10]


def parse_html(data: bytes, article_id: str, path: str | None = None, url: str | None = None,
               max_bytes: int = MAX_ARTICLE_BYTES) -> Article:
    """A web page: main text, title, date, author, canonical URL (trafilatura)."""
    origin = path or url or article_id
    if len(data) > max_bytes:
        raise _too_big(origin, len(data), max_bytes)
    decoded = decode_bytes(data, origin)
    try:
        import trafilatura

        document = trafilatura.bare_extraction(decoded.text, url=url, with_metadata=True, include_comments=False)
    except Exception as e:  # trafilatura and lxml raise many kinds on broken markup
        raise InputError(f"{origin}: cannot parse the HTML ({type(e).__name__})") from e
    if document is None:
        raise InputError(f"{origin}: no article text found in the HTML")
    meta = document if isinstance(document, dict) else document.as_dict()
    text, cleaned = clean_text((meta.get("text") or "").strip())
    if not text:
        raise InputError(f"{origin}: no article text found in the HTML")
    return Article(id=article_id, text=text, title=_str(meta.get("title")), published=_when(meta.get("date")),
                   source=_str(meta.get("sitename") or meta.get("hostname")), url=_str(meta.get("url")) or url,
                   authors=_strings([a.strip() for a in (meta.get("author") or "").split(";") if a.strip()]),
                   tags=_strings(meta.get("tags") or meta.get("categories")), path=path,
                   encoding=decoded.encoding, warnings=_repairs(origin, decoded.replaced, cleaned, decoded.encoding))
