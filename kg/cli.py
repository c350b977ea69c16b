"""The ``kg`` command line: a thin click layer over the library.

Each command parses its options, calls one library function and formats the result.
Heavy modules (spaCy, Natasha) are imported inside the commands that need them, so
``kg --help`` and ``kg query`` start fast.
"""

from __future__ import annotations

import sys
from pathlib import Path

import click

from kg import __version__
from kg.config import ENDPOINT, STORE, UPDATE_ENDPOINT
from kg.errors import KGError
from kg.read import MAX_CHARS

CONTEXT = {"help_option_names": ["-h", "--help"], "max_content_width": 100}


def store_options(f):
    """--store / --endpoint, shared by every command that touches the store."""
    f = click.option("--update-endpoint", envvar=UPDATE_ENDPOINT.env, default=None, metavar="URL",
                     help=UPDATE_ENDPOINT.help)(f)
    f = click.option("--endpoint", envvar=ENDPOINT.env, default=None, metavar="URL", help=ENDPOINT.help)(f)
    f = click.option("--store", "store_location", envvar=STORE.env, default=STORE.default, show_default=True,
                     metavar="DIR", help=STORE.help + f" [env: {STORE.env}]")(f)
    return f


def _open(store_location: str, endpoint: str | None, update_endpoint: str | None, create: bool = True):
    from kg.store import open_store

    if not create:  # a reader: a store held by a running ingest is read as last committed
        from kg.access import open_for_reading

        return open_for_reading(store_location, endpoint=endpoint, update_endpoint=update_endpoint)
    return open_store(store_location, endpoint=endpoint, update_endpoint=update_endpoint, create=create)


def _finish(report, verbose: bool = False, quiet: bool = False) -> None:
    """Print an ingest report's failures (tracebacks with -v), notes (unless -q), warnings
    (with -v) and its summary; exit 2 if any article failed."""
    for failure in report.failed:
        click.echo(f"failed    {failure.origin}: {failure.reason}", err=True)
        if verbose and failure.detail:
            click.echo("          " + failure.detail.rstrip().replace("\n", "\n          "), err=True)
    for note in report.notes if not quiet else ():
        click.echo(f"note      {note}", err=True)
    if verbose:
        for warning in report.warnings:
            click.echo(f"warning   {warning}", err=True)
    click.echo(report.summary())
    if not report.ok:
        sys.exit(2)


class KGGroup(click.Group):
    """Turns ``KGError`` into a one-line message and its exit code."""

    def invoke(self, ctx):
        try:
            return super().invoke(ctx)
        except KGError as e:
            click.echo(f"kg: error: {e.message}", err=True)
            if e.hint:
                click.echo(f"kg: hint: {e.hint}", err=True)
            sys.exit(e.exit_code)


@click.group(cls=KGGroup, context_settings=CONTEXT)
@click.version_option(__version__, prog_name="kg")
def main():
    """kg — a knowledge graph of diplomatic events from Russian-language news.

    \b
    Example:
      kg demo
    """


@main.command(context_settings=CONTEXT)
@click.argument("paths", nargs=-1, required=True)
@store_options
@click.option("--force", is_flag=True, help="Re-extract articles even when unchanged.")
@click.option("--fail-fast", is_flag=True, help="Stop at the first article that fails.")
@click.option("-j", "--jobs", type=click.IntRange(1, 256), default=1, show_default=True,
              help="Worker processes for extraction (one writer).")
@click.option("--dask", "dask_address", default=None, metavar="ADDRESS",
              help="Extract on a Dask distributed cluster (tcp://scheduler:8786); needs kg[distributed].")
@click.option("--max-chars", type=click.IntRange(1000), default=MAX_CHARS, show_default=True, metavar="N",
              help="Refuse (as failed) articles longer than this; longer texts are parsed in chunks.")
@click.option("-q", "--quiet", is_flag=True, help="Print only the summary and failures.")
@click.option("-v", "--verbose", is_flag=True, help="Print every article, every warning, and tracebacks.")
def ingest(paths, store_location, endpoint, update_endpoint, force, fail_fast, jobs, dask_address, max_chars, quiet,
           verbose):
    """Extract events from articles into the store.

    PATHS are files (.txt in the founding format or plain, .html, .jsonl with one article a
    line), folders (read recursively) or - for standard input. An article's id is its path
    under the folder named (a/x.txt gives a/x; x.html keeps its extension) or its JSONL id.
    Each article is written in one transaction; a broken one is reported with its origin and
    the rest go on; unchanged ones are skipped. Exit code 2 when any article failed, 4 when
    the store cannot be written (or its directory vanished mid-run).

    \b
    Example:
      kg ingest ../shared/corpus/dev --store ./kg-store --jobs 2
    """
    from kg.pipeline import ingest as run_ingest
    from kg.progress import Progress, count_inputs

    for path in paths:
        if path != "-" and not Path(path).exists():
            raise click.BadParameter(f"{path}: no such file or folder", param_hint="PATHS")
    bar = Progress(count_inputs(paths) if not quiet else None, enabled=None if not (quiet or verbose) else False)

    def progress(origin: str, status: str) -> None:
        bar.update(status)
        if verbose:
            click.echo(f"{status:9} {origin}", err=True)

    with _open(store_location, endpoint, update_endpoint) as store:
        try:
            report = run_ingest(paths, store, force=force, fail_fast=fail_fast, on_article=progress, jobs=jobs,
                                dask=dask_address, max_chars=max_chars)
        finally:
            bar.close()
    _finish(report, verbose, quiet)


@main.command(context_settings=CONTEXT)
@click.argument("urls", nargs=-1, required=True)
@store_options
@click.option("--force", is_flag=True, help="Re-extract articles even when unchanged.")
def fetch(urls, store_location, endpoint, update_endpoint, force):
    """Fetch web pages or RSS/Atom feeds and ingest their articles.

    \b
    Example:
      kg fetch https://www.inform.kz/rss --store ./kg-store
    """
    from kg import fetch as fetching
    from kg.pipeline import ingest_sources

    with _open(store_location, endpoint, update_endpoint) as store:
        report = ingest_sources(fetching.sources(list(urls)), store, force=force)
    _finish(report)


@main.command(context_settings=CONTEXT)
@click.argument("sparql")
@store_options
@click.option("-p", "--param", "params", multiple=True, metavar="KEY=VALUE",
              help="A parameter of a library query, bound as an RDF term.")
@click.option("-f", "--format", "fmt", type=click.Choice(["table", "csv", "tsv", "json", "markdown"]),
              default="table", show_default=True)
@click.option("--limit", type=int, default=None, help="At most this many rows.")
@click.option("--timeout", type=float, default=None, metavar="SECONDS",
              help="Stop the query after this long (store directories and endpoints).")
def query(sparql, store_location, endpoint, update_endpoint, params, fmt, limit, timeout):
    """Run SPARQL: a library query name, a .rq file, or inline text.

    Tables show prefixed names (diplo:Meeting, person:sergey-lavrov); csv, tsv and json give
    full IRIs. The prefixes of `kg queries --prefixes` are added to every query. ASK prints
    true or false and exits 0 or 1. Country, person, organization and place parameters take
    any name, abbreviation or ISO code the store knows, in any case.

    \b
    Example:
      kg query "SELECT ?name WHERE { ?p a schema:Person ; schema:name ?name }" -f csv
    """
    from kg.query import format_result, run

    values = {}
    for item in params:
        if "=" not in item:
            raise click.BadParameter(f"{item!r} is not KEY=VALUE", param_hint="--param")
        key, value = item.split("=", 1)
        values[key.strip()] = value
    with _open(store_location, endpoint, update_endpoint, create=False) as store:
        result = run(store, sparql, values, limit=limit, timeout=timeout)
    _say_when_nothing_matches(result, values)
    click.echo(format_result(result, fmt), nl=False)
    if result.type == "ASK" and not result.askAnswer:
        sys.exit(1)  # so that scripts can test the answer: `kg query "ASK { … }" && …`


def _say_when_nothing_matches(result, values: dict[str, str]) -> None:
    """On stderr, when a filtered query finds nothing: which filters found nothing."""
    given = {k: v for k, v in values.items() if v.strip('"')}
    if given and result.type == "SELECT" and not len(result):
        click.echo("kg: no events match: " + ", ".join(f"{k}={v}" for k, v in given.items()), err=True)


@main.command(context_settings=CONTEXT)
@click.option("--prefixes", "show_prefixes", is_flag=True, help="List the prefixes kg query adds instead.")
def queries(show_prefixes):
    """List the library of ready queries with their parameters.

    \b
    Example:
      kg queries
    """
    from kg.query import QUERY_PREFIXES, library

    if show_prefixes:
        for prefix, ns in QUERY_PREFIXES.items():
            click.echo(f"PREFIX {prefix}: <{ns}>")
        return
    for name, q in library().items():
        click.echo(f"{name}: {q.title}")
        if q.description:
            click.echo(f"    {q.description}")
        for p in q.params:
            default = f" = {p.default}" if p.default else ""
            click.echo(f"    --param {p.name}=… ({p.type}{default}) {p.help}")


@main.command(context_settings=CONTEXT)
@store_options
@click.option("-f", "--format", "fmt", type=click.Choice(["events-json", "turtle", "trig", "nquads", "json-ld"]),
              default="events-json", show_default=True)
@click.option("-o", "--output", type=click.Path(dir_okay=False, path_type=Path), default=None,
              help="Write here instead of standard output.")
def export(store_location, endpoint, update_endpoint, fmt, output):
    """Export the store as events.json or as RDF.

    \b
    Example:
      kg export --format events-json -o events.json
    """
    from kg.export import export as run_export

    with _open(store_location, endpoint, update_endpoint, create=False) as store:
        text = run_export(store, fmt)
    if output:
        output.write_text(text, encoding="utf-8")
        click.echo(f"wrote {output}", err=True)
    else:
        click.echo(text, nl=False)


def _names(value: str | None) -> tuple[str, ...]:
    return tuple(n.strip() for n in (value or "").split(",") if n.strip())


@main.command(context_settings=CONTEXT)
@click.option("--store", "store_location", envvar=STORE.env, default=STORE.default, show_default=True,
              metavar="DIR", help="The Oxigraph store directory to serve (read-only).")
@click.option("--host", default="127.0.0.1", show_default=True,
              help="Address to listen on; loopback unless you say otherwise.")
@click.option("--port", type=click.IntRange(0, 65535), default=7878, show_default=True)
@click.option("--timeout", "timeout_s", type=click.IntRange(1), default=30, show_default=True,
              help="Query timeout, seconds; a query past it is stopped without costing other queries.")
@click.option("--max-bytes", type=click.IntRange(1), default=50_000_000, show_default=True,
              help="Refuse answers larger than this.")
@click.option("--workers", type=click.IntRange(1, 64), default=4, show_default=True,
              help="Oxigraph processes, each running one query at a time.")
@click.option("--allowed-host", "allowed_hosts", multiple=True, metavar="NAME[,NAME]",
              help="Host names (besides the bound address) that requests may use, e.g. behind a proxy.")
@click.option("--cors", multiple=True, metavar="ORIGIN[,ORIGIN]",
              help="Origins whose pages may query the endpoint (http://app.example:8080, or *).")
@click.option("--allow-service", metavar="HOST[,HOST]", default=None,
              help="Let SERVICE reach these hosts (refused by default: the server would send requests for its users).")
@click.option("--max-body", type=click.IntRange(1), default=1_000_000, show_default=True,
              help="Refuse request bodies larger than this (bytes).")
@click.option("--max-connections", type=click.IntRange(1), default=64, show_default=True,
              help="Connections at once; more are answered 503.")
@click.option("--read-timeout", "read_timeout_s", type=click.FloatRange(0.1), default=10.0, show_default=True,
              help="Seconds a client has to send a whole request.")
@click.option("--refresh", "refresh_s", type=click.FloatRange(0), default=2.0, show_default=True,
              help="Seconds between looks for what an ingest committed since (0: serve the state at start).")
def serve(store_location, host, port, timeout_s, max_bytes, workers, allowed_hosts, cors, allow_service, max_body,
          max_connections, read_timeout_s, refresh_s):
    """Serve the store as a read-only SPARQL endpoint with a query page.

    Exit codes: 0 stopped by a signal (TERM, INT, HUP), 4 the store cannot be served or its
    query engine failed repeatedly.

    \b
    Example:
      kg serve --store ./kg-store --port 7878
    """
    from kg.serve import ServeOptions, run

    options = ServeOptions(store_location, host, port, timeout_s, max_bytes, workers,
                           allowed_hosts=tuple(n for v in allowed_hosts for n in _names(v)),
                           cors=tuple(n for v in cors for n in _names(v)), allow_service=_names(allow_service),
                           max_body=max_body, max_connections=max_connections, read_timeout_s=read_timeout_s,
                           refresh_s=refresh_s)
    sys.exit(run(options, announce=click.echo))


@main.command(context_settings=CONTEXT)
@store_options
@click.option("--limit", type=int, default=20, show_default=True, help="Violations to list in full.")
def validate(store_location, endpoint, update_endpoint, limit):
    """Check the store against the SHACL shapes (ontology/shapes.ttl).

    Exit codes: 0 conforms, 6 does not conform, 4 or 7 the check cannot run.

    \b
    Example:
      kg validate --store ./kg-store
    """
    from kg.validate import validate as run_validate

    with _open(store_location, endpoint, update_endpoint, create=False) as store:
        report = run_validate(store)
    click.echo(report.summary(limit))
    if not report.conforms:
        from kg.errors import ValidationError

        sys.exit(ValidationError.exit_code)


@main.command(context_settings=CONTEXT)
@store_options
@click.option("--view", type=click.Choice(["events", "people", "organizations", "countries"]), default="events",
              show_default=True, help="events: events and their actors; people who met; organizations that "
                                      "cooperate; country pairs.")
@click.option("-o", "--output", type=click.Path(dir_okay=False, path_type=Path), default=Path("kg-network.html"),
              show_default=True, help="The HTML file to write (self-contained, opens offline).")
@click.option("--country", "countries", multiple=True, metavar="NAME|CODE",
              help="Only events about this country, by name or ISO code (repeatable).")
@click.option("--every-country", is_flag=True, help="Only events about all the --country values (default: any).")
@click.option("--since", default=None, metavar="YYYY-MM-DD", help="Only events on or after this date.")
@click.option("--until", default=None, metavar="YYYY-MM-DD", help="Only events on or before this date.")
@click.option("--topic", default=None, help="Only events whose topic contains this text (or an area key: energy).")
@click.option("--type", "types", multiple=True, metavar="TYPE",
              help="Only events of this type: Meeting, Visit, PhoneCall, Summit, Signing, CulturalEvent, Other "
                   "(repeatable).")
@click.option("--color-by", type=click.Choice(["auto", "kind", "country"]), default="auto", show_default=True,
              help="Colour nodes by kind or by country; auto: by kind when a view has several kinds.")
def viz(store_location, endpoint, update_endpoint, view, output, countries, every_country, since, until, topic, types,
        color_by):
    """Write an interactive, self-contained HTML network.

    \b
    Example:
      kg viz --view people --country KZ --since 2024-01-01 -o people.html
    """
    from kg import network, viz as viz_lib

    from kg.errors import InputError
    from kg.names import known_names

    with _open(store_location, endpoint, update_endpoint, create=False) as store:
        if countries:
            known = known_names(store, "country")
            countries = [known.resolve(c, InputError) for c in countries]
        filters = network.Filters(tuple(countries), since, until, topic, tuple(types), every_country)
        graph = network.build(store, view, filters)
    note = None
    if not len(graph) and filters.describe():
        note = f"no events match: {filters.describe().lstrip(' ·')}"
        click.echo(f"kg: {note}", err=True)
    viz_lib.write(graph, output, title=f"kg — {view}{filters.describe()}", color_by=color_by, note=note)
    click.echo(f"wrote {output} ({graph.number_of_nodes()} nodes, {graph.number_of_edges()} edges)")


@main.command(context_settings=CONTEXT)
@store_options
@click.option("-o", "--output", type=click.Path(dir_okay=False, path_type=Path), default=Path("kg-demo.html"),
              show_default=True, help="Where to write the HTML network.")
def demo(store_location, endpoint, update_endpoint, output):
    """Ingest the bundled sample articles, print what was found, write an HTML network.

    \b
    Example:
      kg demo --store ./kg-store
    """
    from kg import network, viz as viz_lib
    from kg.config import sample_dir
    from kg.export import events_json
    from kg.pipeline import ingest as run_ingest

    with _open(store_location, endpoint, update_endpoint) as store:
        report = run_ingest([sample_dir()], store)
        click.echo(report.summary())
        for e in events_json(store)["events"]:
            where = (e["location"] or {}).get("name") or "—"
            click.echo(f"\n{e['date'] or '????-??-??'}  {e['type']:13} {where}: {e['title']}")
            for p in e["participants"]:
                details = ", ".join(x for x in (p["position"], p["organization"], p["country"]) if x)
                click.echo(f"    {p['name']}" + (f" ({details})" if details else ""))
            for d in e["documents"]:
                click.echo(f"    signed: {d['title']}" + (f" — {'; '.join(d['parties'])}" if d["parties"] else ""))
        graph = network.build(store, "events")
    viz_lib.write(graph, output, title="kg — demo")
    click.echo(f"\nwrote {output} ({graph.number_of_nodes()} nodes, {graph.number_of_edges()} edges)")
    if not report.ok:
        sys.exit(2)


if __name__ == "__main__":
    main()
