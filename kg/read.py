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

import re
from collections.abc import Iterable, Iterator
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


def read_file(path: str | Path) -> Article:
    """Read one article file; raise ``InputError`` with the reason when it cannot be read."""
    path = Path(path)
    try:
        data = path.read_bytes()
    except OSError as e:
        raise InputError(f"{path}: cannot read the file: {e.strerror or e}") from e
    if len(data) > MAX_ARTICLE_BYTES:
        raise InputError(f"{path}: {len(data):,} bytes is over the {MAX_ARTICLE_BYTES:,}-byte limit per article",
                         "split the file or raise kg.read.MAX_ARTICLE_BYTES")
    return parse_text(decode(data, path), path.stem, path=str(path))


def decode(data: bytes, origin: str | Path = "<bytes>") -> str:
    """Decode article bytes as UTF-8 (with or without BOM)."""
    if b"\x00" in data[:4096]:
        raise InputError(f"{origin}: looks like a binary file, not text")
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as e:
        raise InputError(f"{origin}: not valid UTF-8 text ({e.reason} at byte {e.start})") from e


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
    day = datetime.strptime(header.group(1), "%Y-%m-%d")
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
        published = datetime(int(y), int(m), int(d), int(hh or 0), int(mm or 0))
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


def dateline_end(text: str) -> int:
    """Where an agency dateline ("АСТАНА, 27 ноября. /Казинформ/ –") ends, or 0."""
    match = _DATELINE_AGENCY.match(text)
    if not match:
        return 0
    rest = re.match(r"[\s.]*[–—-]?\s*", text[match.end():])
    return match.end() + (rest.end() if rest else 0)


def _dateline_agency(text: str) -> str | None:
    match = _DATELINE_AGENCY.match(text)
    if not match:
        return None
    name = next(g for g in match.groups() if g)
    return name.strip(" .")


def iter_files(paths: Iterable[str | Path]) -> Iterator[Path]:
    """Expand files and folders (recursively) into article files, in a stable order."""
    for raw in paths:
        path = Path(raw)
        if path.is_dir():
            yield from sorted(p for p in path.rglob("*") if p.is_file() and p.suffix.lower() in TEXT_SUFFIXES
                              and not p.name.startswith("."))
        elif path.exists():
            yield path
        else:
            raise InputError(f"{path}: no such file or folder")
