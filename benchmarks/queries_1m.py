"""The query library on a synthetic graph of about a million triples: Oxigraph against rdflib.

    python benchmarks/queries_1m.py                      # 1,000,000 triples, seed 1
    python benchmarks/queries_1m.py --triples 200000 --skip-rdflib
    python benchmarks/queries_1m.py --out /tmp/synth.nq --keep   # keep the N-Quads for later runs
    python benchmarks/queries_1m.py --on-disk --skip-rdflib --json 1m.json   # on disk, figures as JSON
    python benchmarks/queries_1m.py --triples 10000000 --on-disk --skip-rdflib --keep   # 10 M quads
    python benchmarks/queries_1m.py --store-dir /tmp/kg-queries-1m-XXXX/store --json 10m.json

The generator writes N-Quads shaped like ``kg ingest`` output (``kg/rdf.py``): the ontology,
gazetteer and topic-scheme graphs exactly as kg loads them, then one named graph per
synthetic article. Each article graph holds the article (headline, publication time,
outlet, author, tags, body, content hash, extraction run), the events it reports (every
type, dated across ten years, with place, countries, participations with posts,
organizations and countries, tenures, documents with parties, topic phrases broader to
the scheme) and a Web Annotation, with its sentence, for each date, place, event mention,
participation and document. As kg does, every article graph repeats the names and types
of the people, places, countries and organizations it mentions, and about a fifth of the
events are reported by two or three articles (one event node, several graphs).
People and organizations are the gazetteer's plus generated ones with Russian and Kazakh
names. Output is deterministic for a given ``--seed`` and ``--triples``.

Then every library query (``kg/queries/*.rq``, with its default parameters) is timed:

- Oxigraph: the N-Quads loaded into ``kg.store.open_store(":memory:")`` (with ``--on-disk``,
  bulk-loaded into a new store directory through ``kg.store``), queried through
  ``Store.query`` as ``kg query`` does (rdflib + oxrdflib) and straight through pyoxigraph;
  one warm-up run, then the median and 95th percentile of ``--runs`` runs, each including
  reading every row.
- rdflib: the same N-Quads in ``rdflib.Dataset(default_union=True)``, queried with rdflib's
  own SPARQL engine. Each query runs in a forked process so that it can be stopped after
  ``--timeout`` seconds (">60s"); the median of up to ``--runs`` runs after a warm-up,
  fewer when a query is slow (the number of runs is printed).

Last, the cold start of ``kg query``: the wall time of a fresh ``python -m kg query``
process on a small on-disk store (reference graphs and a few synthetic articles) and, on
disk, on the timed store itself, median of 5 after one warm-up. ``--json FILE`` writes every
figure (per query: rows, p50 and p95 in ms).

The script prints measured numbers only.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import multiprocessing as mp
import os
import random
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from datetime import date, datetime, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

BASE = "https://w3id.org/kg-diplo/"
ID = BASE + "id/"
GRAPH = BASE + "graph/"
DIPLO = BASE + "ontology#"
SCHEMA = "https://schema.org/"
RDF_TYPE = "http://www.w3.org/1999/02/22-rdf-syntax-ns#type"
SKOS = "http://www.w3.org/2004/02/skos/core#"
OWL_SAME_AS = "http://www.w3.org/2002/07/owl#sameAs"
PROV = "http://www.w3.org/ns/prov#"
ORG = "http://www.w3.org/ns/org#"
OA = "http://www.w3.org/ns/oa#"
SEM_ACTOR = "http://semanticweb.cs.vu.nl/2009/11/sem/hasActor"
XSD = "http://www.w3.org/2001/XMLSchema#"

EVENT_TYPES = [("Meeting", 44), ("Visit", 10), ("PhoneCall", 12), ("Summit", 9), ("Signing", 9),
               ("CulturalEvent", 9), ("OtherEvent", 7)]
DOC_TYPES = [("Agreement", "Соглашение о сотрудничестве в сфере {}", 30),
             ("Memorandum", "Меморандум о взаимопонимании в сфере {}", 25),
             ("Roadmap", "Дорожная карта по развитию сотрудничества в сфере {}", 10),
             ("Protocol", "Протокол заседания рабочей группы по вопросам {}", 10),
             ("Declaration", "Совместное заявление о развитии {}", 7),
             ("Programme", "Программа сотрудничества в сфере {}", 10),
             ("Contract", "Контракт на поставку в сфере {}", 5),
             ("OtherDocument", "Документ о взаимодействии в сфере {}", 3)]
AREA_GENITIVE = {"culture": "культуры", "cinema": "кинематографии", "education": "образования",
                 "science": "науки", "energy": "энергетики", "nuclear": "атомной энергетики",
                 "trade": "торговли", "investment": "инвестиций", "industry": "промышленности",
                 "transport": "транспорта", "agriculture": "сельского хозяйства", "water": "водных ресурсов",
                 "security": "безопасности", "digital": "цифровизации", "environment": "экологии",
                 "regional": "межрегионального сотрудничества", "politics": "политического диалога",
                 "tourism": "туризма", "health": "здравоохранения", "housing": "жилищно-коммунального хозяйства"}
AREA_PHRASES = {
    "energy": ["поставки газа", "энергетическое сотрудничество", "транзит нефти", "развитие электроэнергетики"],
    "nuclear": ["строительство АЭС", "поставки урана"],
    "trade": ["наращивание товарооборота", "расширение торговли", "экспорт сельхозпродукции"],
    "investment": ["инвестиционные проекты", "защита инвестиций"],
    "industry": ["промышленная кооперация", "создание совместных производств"],
    "transport": ["развитие транспортных коридоров", "железнодорожные перевозки", "транзит грузов"],
    "culture": ["Дни культуры", "гастроли театров", "музейное сотрудничество"],
    "cinema": ["совместные проекты в кинематографии"],
    "education": ["академическая мобильность", "открытие филиалов вузов", "подготовка кадров"],
    "science": ["научно-техническое сотрудничество", "совместные исследования"],
    "agriculture": ["взаимодействие в агропромышленном комплексе", "поставки зерна"],
    "water": ["использование трансграничных рек", "рациональное использование водных ресурсов"],
    "security": ["региональная безопасность", "борьба с терроризмом"],
    "digital": ["цифровизация госуслуг", "электронная торговля"],
    "environment": ["охрана окружающей среды"],
    "regional": ["межрегиональное сотрудничество", "приграничное сотрудничество"],
    "politics": ["политический диалог", "стратегическое партнёрство"],
    "tourism": ["развитие туризма"],
    "health": ["сотрудничество в здравоохранении"],
}
LOOSE_PHRASES = ["двустороннее сотрудничество", "актуальные вопросы повестки", "совместные проекты",
                 "дальнейшее развитие отношений"]
MALE = ["Александр", "Алексей", "Андрей", "Дмитрий", "Сергей", "Игорь", "Михаил", "Николай", "Павел",
        "Олег", "Евгений", "Виктор", "Юрий", "Константин", "Максим", "Роман", "Асхат", "Ерлан", "Нурлан",
        "Даурен", "Бауыржан", "Серик", "Арман", "Марат", "Тимур", "Канат", "Ержан", "Айдос", "Руслан",
        "Азамат", "Ербол", "Мухтар", "Болат", "Галым", "Жандос", "Кайрат", "Нурсултан", "Ильяс"]
FEMALE = ["Анна", "Елена", "Ольга", "Наталья", "Татьяна", "Мария", "Ирина", "Светлана", "Екатерина",
          "Юлия", "Марина", "Айгерим", "Динара", "Асель", "Гульнара", "Жанна", "Алия", "Сауле", "Мадина",
          "Камила", "Арайлым", "Гаухар", "Дана", "Меруерт", "Салтанат", "Томирис"]
SURNAMES = ["Иванов", "Петров", "Смирнов", "Кузнецов", "Попов", "Васильев", "Соколов", "Михайлов",
            "Новиков", "Фёдоров", "Морозов", "Волков", "Алексеев", "Лебедев", "Семёнов", "Егоров", "Павлов",
            "Козлов", "Степанов", "Николаев", "Орлов", "Андреев", "Макаров", "Никитин", "Захаров", "Зайцев",
            "Борисов", "Яковлев", "Григорьев", "Романов", "Сергеев", "Кузьмин", "Фролов", "Александров",
            "Дмитриев", "Гусев", "Ахметов", "Нурланов", "Сейткалиев", "Жумабаев", "Абдрахманов", "Искаков",
            "Сулейменов", "Касымов", "Омаров", "Байжанов", "Тулегенов", "Кенжебаев", "Ермеков", "Утемисов",
            "Мусин", "Досмухамбетов", "Садыков", "Жакупов", "Бекетов", "Калиев", "Нургалиев", "Есенов",
            "Шевченко", "Коваленко", "Бондаренко"]
POSTS = ["министр иностранных дел", "заместитель министра иностранных дел", "министр энергетики",
         "министр торговли и интеграции", "министр транспорта", "министр культуры", "министр образования",
         "министр сельского хозяйства", "министр промышленности", "вице-премьер", "посол",
         "чрезвычайный и полномочный посол", "аким области", "губернатор", "председатель правления",
         "ректор", "генеральный директор", "директор департамента", "советник", "депутат парламента"]
ORG_WORDS_A = ["Агро", "Энерго", "Транс", "Строй", "Нефте", "Газо", "Техно", "Логистик", "Инвест", "Пром",
               "Казах", "Сибирь", "Евразия", "Алтай", "Каспий", "Степь", "Урал"]
ORG_WORDS_B = ["сервис", "холдинг", "групп", "альянс", "капитал", "трейд", "инжиниринг", "маш", "ресурс"]
UNIVERSITY_ADJ = ["Казахский", "Евразийский", "Московский", "Новосибирский", "Томский", "Уральский",
                  "Сибирский", "Алтайский", "Омский", "Павлодарский", "Карагандинский", "Костанайский",
                  "Актюбинский", "Кузбасский", "Самарский", "Оренбургский", "Атырауский", "Таразский"]
UNIVERSITY_KIND = ["государственный университет", "технический университет", "медицинский университет",
                   "аграрный университет", "институт нефти и газа", "педагогический университет"]
MONTHS_GEN = ["января", "февраля", "марта", "апреля", "мая", "июня", "июля", "августа", "сентября",
              "октября", "ноября", "декабря"]
TYPE_WORDS = {"Meeting": "встреча", "Visit": "визит", "PhoneCall": "телефонный разговор", "Summit": "саммит",
              "Signing": "церемония подписания", "CulturalEvent": "Дни культуры", "OtherEvent": "церемония"}
FIRST_DAY, DAYS = date(2015, 1, 1), 3652   # ten years


# -- N-Quads ----------------------------------------------------------------------------------

def iri(value: str) -> str:
    return f"<{value}>"


def _escape(text: str) -> str:
    return text.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n").replace("\r", "\\r")


def ru(text: str) -> str:
    return f'"{_escape(text)}"@ru'


def plain(text: str) -> str:
    return f'"{_escape(text)}"'


def typed(text: str, datatype: str) -> str:
    return f'"{_escape(text)}"^^<{XSD}{datatype}>'


class ArticleWriter:
    """The triples of one article graph, without duplicates, in insertion order."""

    def __init__(self, name: str) -> None:
        self.graph = iri(GRAPH + name)
        self.lines: dict[str, None] = {}
        self.written: set[str] = set()

    def add(self, s: str, p: str, o: str) -> None:
        self.lines[f"{s} {p} {o} {self.graph} .\n"] = None

    def first(self, key: str) -> bool:
        if key in self.written:
            return False
        self.written.add(key)
        return True


# -- the world: gazetteer entities and generated ones -------------------------------------------

def reference_nquads() -> tuple[str, object]:
    """The ontology, gazetteer and topic-scheme graphs as kg loads them, and the store."""
    from kg.pipeline import ensure_reference_graphs
    from kg.store import open_store

    store = open_store(":memory:")
    ensure_reference_graphs(store)
    import pyoxigraph

    dump = store.oxigraph.dump(format=pyoxigraph.RdfFormat.N_QUADS).decode("utf-8")
    # a stable text: sorted lines, blank nodes (the gazetteer's terms) renamed in order of appearance
    bnode = re.compile(r"_:[A-Za-z0-9]+")
    lines = sorted(dump.splitlines(), key=lambda line: bnode.sub("_:b", line))
    names: dict[str, str] = {}
    lines = [bnode.sub(lambda m: names.setdefault(m.group(0), f"_:g{len(names)}"), line) for line in lines]
    return "\n".join(lines) + "\n", store


def _rows(store, sparql: str) -> list[list[str | None]]:
    from kg.query import with_prefixes

    return [[None if v is None else str(v) for v in row] for row in store.query(with_prefixes(sparql))]


class World:
    def __init__(self, store, rnd: random.Random) -> None:
        from kg.resolve import digest, name_key, slug, surname_of

        self.slug, self.digest, self.rnd = slug, digest, rnd
        self.surname_key, self.name_key = surname_of, name_key
        g = "GRAPH <https://w3id.org/kg-diplo/graph/gazetteer>"
        self.countries = {}
        for c, label, wd, gen, loc in _rows(store, f"""SELECT ?c ?l (MIN(?w) AS ?wd) (MIN(?g) AS ?gen) (MIN(?o) AS ?loc)
                WHERE {{ {g} {{ ?c a schema:Country ; skos:prefLabel ?l . OPTIONAL {{ ?c owl:sameAs ?w }}
                OPTIONAL {{ ?c diplo:shortNameGenitive ?g }} OPTIONAL {{ ?c diplo:shortNameLocative ?o }} }} }}
                GROUP BY ?c ?l ORDER BY ?c"""):
            self.countries[c] = {"iri": c, "name": label, "wd": wd, "gen": gen or label, "loc": loc or label,
                                 "cities": [], "people": [], "orgs": [], "ministries": []}
        for p, label, c, wd in _rows(store, f"""SELECT ?p ?l ?c (MIN(?w) AS ?wd) WHERE {{ {g} {{
                ?p a schema:City ; skos:prefLabel ?l ; schema:containedInPlace ?c . OPTIONAL {{ ?p owl:sameAs ?w }} }} }}
                GROUP BY ?p ?l ?c ORDER BY ?p"""):
            if c in self.countries:
                self.countries[c]["cities"].append({"iri": p, "name": label, "country": c, "wd": wd})
        for o, label, c, kind in _rows(store, f"""SELECT ?o ?l ?c (MIN(?k) AS ?kind) WHERE {{ {g} {{
                ?o skos:prefLabel ?l ; diplo:country ?c . {{ ?o a diplo:Ministry BIND("Ministry" AS ?k) }}
                UNION {{ ?o a diplo:Government BIND("Government" AS ?k) }} }} }} GROUP BY ?o ?l ?c ORDER BY ?o"""):
            if c in self.countries:
                self.countries[c]["ministries"].append({"iri": o, "name": label, "country": c, "kind": kind})
        self.people = []
        for p, label, c, wd, pos, org in _rows(store, f"""SELECT ?p ?l ?c (MIN(?w) AS ?wd) (MIN(?t) AS ?pos)
                (MIN(?o) AS ?org) WHERE {{ {g} {{ ?p a schema:Person ; skos:prefLabel ?l ; diplo:country ?c .
                OPTIONAL {{ ?p owl:sameAs ?w }} OPTIONAL {{ ?p diplo:tenure ?x . ?x diplo:positionTitle ?t .
                OPTIONAL {{ ?x org:organization ?o }} }} }} }} GROUP BY ?p ?l ?c ORDER BY ?p"""):
            if c in self.countries:
                person = {"iri": p, "name": label, "country": c, "wd": wd, "post": pos or self.rnd.choice(POSTS),
                          "org": org, "gender": None, "weight": 8.0}
                if pos == "президент":
                    person["weight"] = 40.0
                self.people.append(person)
                self.countries[c]["people"].append(person)
        self.media = [{"iri": m, "name": label} for m, label in _rows(store, f"""SELECT ?m ?l WHERE {{ {g} {{
                ?m a schema:NewsMediaOrganization ; skos:prefLabel ?l }} }} ORDER BY ?m""")]
        self.areas = [(a, label) for a, label in _rows(store, """SELECT ?a ?l WHERE { GRAPH
                <https://w3id.org/kg-diplo/graph/topics> { ?a skos:topConceptOf ?s ; skos:prefLabel ?l } } ORDER BY ?a""")]
        self.org_by_iri: dict[str, dict] = {}
        for c in self.countries.values():
            for o in c["ministries"]:
                self.org_by_iri[o["iri"]] = o
        self._generate()

    def _generate(self) -> None:
        rnd = self.rnd
        kz, ru_ = ID + "country/KZ", ID + "country/RU"
        # partner countries of Kazakhstan, weighted as a Kazakh news feed would be
        self.home = [(kz, 70), (ru_, 30)]
        busy = ["RU", "UZ", "KG", "CN", "BY", "TR", "AZ", "TJ", "US", "DE", "FR", "KR", "JP", "IN", "AE", "IR",
                "GE", "AM", "MN", "TM", "HU", "IT", "GB", "PL", "SA", "QA", "EG", "PK", "VN", "MY"]
        self.partners = [(ID + f"country/{code}", w) for code, w in zip(busy, [40, 12, 10, 10, 8, 7, 6, 6] + [2] * 22)
                         if ID + f"country/{code}" in self.countries]
        used: set[str] = {p["name"] for p in self.people}
        weights = {kz: 1400, ru_: 1000}
        for code, _ in self.partners:
            weights.setdefault(code, 120)
        for c, n in weights.items():
            for _ in range(n):
                female = rnd.random() < 0.3
                while True:
                    first = rnd.choice(FEMALE if female else MALE)
                    last = rnd.choice(SURNAMES)
                    if female and last.endswith(("ов", "ев", "ёв", "ин")):
                        last += "а"
                    name = f"{first} {last}"
                    if name not in used:
                        break
                    name = f"{first} {rnd.choice(SURNAMES)}-{last}"
                    if name not in used:
                        break
                used.add(name)
                person = {"iri": ID + f"person/{self.slug(name)}", "name": name, "country": c, "wd": None,
                          "post": rnd.choice(POSTS), "org": None, "gender": "Female" if female else "Male",
                          "weight": rnd.paretovariate(1.3)}
                self.people.append(person)
                self.countries[c]["people"].append(person)
        for c, n in [(kz, 220), (ru_, 160)] + [(code, 12) for code, _ in self.partners if code != ru_]:
            for k in range(n):
                if rnd.random() < 0.4:
                    name = f"{rnd.choice(UNIVERSITY_ADJ)} {rnd.choice(UNIVERSITY_KIND)}"
                    kind = "University"
                else:
                    name = f"АО «{rnd.choice(ORG_WORDS_A)}{rnd.choice(ORG_WORDS_B)}»"
                    kind = "Company"
                name = f"{name} ({self.countries[c]['name']}, №{k + 1})"
                o = {"iri": ID + f"org/{self.slug(name, 70)}-{self.digest(name, size=6)}", "name": name,
                     "country": c, "kind": kind}
                self.countries[c]["orgs"].append(o)
                self.org_by_iri[o["iri"]] = o
        for person in self.people:
            c = self.countries[person["country"]]
            if person["org"] is None or person["org"] not in self.org_by_iri:
                pool = c["ministries"] if c["ministries"] and self.rnd.random() < 0.7 else c["orgs"] or c["ministries"]
                person["org"] = self.rnd.choice(pool)["iri"] if pool else None
        for c in self.countries.values():
            c["person_weights"] = [p["weight"] for p in c["people"]]

    def person(self, country: str) -> dict:
        c = self.countries[country]
        return self.rnd.choices(c["people"], weights=c["person_weights"])[0]

    def party(self, country: str) -> dict:
        c = self.countries[country]
        if self.rnd.random() < 0.2:
            return {"iri": c["iri"], "name": c["name"], "country": None, "kind": "Country"}
        pool = (c["ministries"] + c["orgs"]) or [{"iri": c["iri"], "name": c["name"], "country": None,
                                                  "kind": "Country"}]
        return self.rnd.choice(pool)


# -- events and articles ----------------------------------------------------------------------

def _weighted(rnd: random.Random, pairs):
    values, weights = zip(*pairs)
    return rnd.choices(values, weights=weights)[0]


def make_event(world: World, k: int) -> dict:
    rnd = world.rnd
    etype = _weighted(rnd, EVENT_TYPES)
    home = _weighted(rnd, world.home)
    partner = _weighted(rnd, [p for p in world.partners if p[0] != home] or world.home)
    if home != ID + "country/KZ" and rnd.random() < 0.5:
        partner = ID + "country/KZ"
    countries = [home, partner]
    if etype == "Summit":
        countries += rnd.sample([p for p, _ in world.partners if p not in countries], 2)
    day = FIRST_DAY + timedelta(days=rnd.randrange(DAYS))
    when = None if rnd.random() < 0.03 else day
    host = world.countries[rnd.choice(countries[:2])]
    place = None if etype == "PhoneCall" or not host["cities"] else rnd.choice(host["cities"][:12])
    n = {"PhoneCall": 2, "Summit": rnd.randint(3, 6), "CulturalEvent": rnd.randint(1, 3),
         "OtherEvent": rnd.randint(1, 3)}.get(etype, rnd.choice([2, 2, 2, 3, 3, 4]))
    people: dict[str, dict] = {}
    for j in range(n):
        p = world.person(countries[j % len(countries)])
        people[p["iri"]] = p
    orgs = {}
    for p in people.values():
        if p["org"] and rnd.random() < 0.8:
            orgs[p["org"]] = world.org_by_iri[p["org"]]
    docs = []
    if etype == "Signing" or (etype in ("Meeting", "Visit", "Summit") and rnd.random() < 0.25):
        for _ in range(rnd.randint(1, 3)):
            dtype, template, _w = rnd.choices(DOC_TYPES, weights=[d[2] for d in DOC_TYPES])[0]
            area = rnd.choice(list(AREA_GENITIVE))
            title = template.format(AREA_GENITIVE[area])
            if rnd.random() < 0.6:
                title += f" на {day.year}–{day.year + 2} годы"
            parties = [world.party(countries[0]), world.party(countries[1])]
            title = f"{title} ({k})"
            docs.append({"iri": ID + f"document/{world.slug(title, 60)}-{world.digest(title.lower(), size=8)}",
                         "type": dtype, "title": title, "parties": parties})
            for party in parties:
                if party["kind"] != "Country":
                    orgs[party["iri"]] = party
    topics = []
    for _ in range(rnd.randint(0, 3)):
        if rnd.random() < 0.15:
            topics.append((rnd.choice(LOOSE_PHRASES), None))
        else:
            area = rnd.choice([a for a in world.areas if a[0].rsplit("/", 1)[-1] in AREA_PHRASES])
            topics.append((rnd.choice(AREA_PHRASES[area[0].rsplit("/", 1)[-1]]), area[0]))
    names = [p["name"] for p in people.values()]
    c0, c1 = world.countries[countries[0]], world.countries[countries[1]]
    title = {"Meeting": f"Встреча: {' и '.join(names[:2])}",
             "Visit": f"Визит: {names[0]} ({place['name'] if place else c1['name']})",
             "PhoneCall": f"Телефонный разговор: {' и '.join(names[:2])}",
             "Summit": f"Саммит глав государств ({place['name'] if place else c0['name']})",
             "Signing": "Церемония подписания документов",
             "CulturalEvent": f"Дни культуры {c0['gen']} в {c1['loc']}",
             "OtherEvent": "Церемония открытия совместного предприятия"}[etype]
    return {"iri": ID + f"event/{hashlib.sha1(f'{k}'.encode()).hexdigest()[:16]}", "type": etype,
            "title": title, "date": when, "day": day, "place": place, "countries": countries,
            "people": list(people.values()), "orgs": list(orgs.values()), "docs": docs, "topics": topics}


class ArticleBuilder:
    def __init__(self, world: World, article_id: str, published: datetime, outlet: dict, author: str) -> None:
        self.world, self.id = world, article_id
        self.w = ArticleWriter(article_id)
        self.art = iri(ID + f"article/{article_id}")
        self.run = iri(ID + f"run/{article_id}")
        self.published, self.outlet, self.author = published, outlet, author
        self.sentences: list[str] = []
        self.offset = 0
        self.annotations = 0

    # entities, written once per graph as kg's GraphWriter does
    def country(self, c: str) -> str:
        if self.w.first(c):
            info = self.world.countries[c]
            self.w.add(iri(c), iri(RDF_TYPE), iri(SCHEMA + "Country"))
            self.w.add(iri(c), iri(SCHEMA + "name"), ru(info["name"]))
            if info["wd"]:
                self.w.add(iri(c), iri(OWL_SAME_AS), iri(info["wd"]))
        return iri(c)

    def place(self, p: dict) -> str:
        s = iri(p["iri"])
        self.w.add(s, iri(RDF_TYPE), iri(SCHEMA + "City"))
        self.w.add(s, iri(RDF_TYPE), iri(SCHEMA + "Place"))
        self.w.add(s, iri(SCHEMA + "name"), ru(p["name"]))
        self.w.add(s, iri(SCHEMA + "containedInPlace"), self.country(p["country"]))
        if p["wd"]:
            self.w.add(s, iri(OWL_SAME_AS), iri(p["wd"]))
        return s

    def org(self, o: dict) -> str:
        if o.get("kind") == "Country":
            return self.country(o["iri"])
        s = iri(o["iri"])
        if self.w.first(o["iri"]):
            w = self.w
            w.add(s, iri(RDF_TYPE), iri(ORG + "Organization"))
            classes = {"Ministry": [DIPLO + "Ministry", SCHEMA + "GovernmentOrganization"],
                       "Government": [DIPLO + "Government", SCHEMA + "GovernmentOrganization"],
                       "Company": [SCHEMA + "Corporation"], "Media": [SCHEMA + "NewsMediaOrganization"]}
            for cls in classes.get(o.get("kind"), [SCHEMA + "Organization"]):
                w.add(s, iri(RDF_TYPE), iri(cls))
            w.add(s, iri(SCHEMA + "name"), ru(o["name"]))
            w.add(s, iri(DIPLO + "nameKey"), plain(self.world.name_key(o["name"])))
            if o.get("country"):
                w.add(s, iri(DIPLO + "country"), self.country(o["country"]))
        return s

    def sentence(self, text: str, quote: str) -> tuple[int, int, int, int]:
        """Adds a sentence to the body; the character spans of the sentence and of the quote."""
        start = self.offset
        self.sentences.append(text)
        self.offset += len(text) + 1
        q = text.find(quote)
        return start, start + len(text), start + q, start + q + len(quote)

    def selectors(self, target: str, start: int, end: int, exact: str) -> None:
        w, t = self.w, iri(target)
        w.add(t, iri(RDF_TYPE), iri(OA + "SpecificResource"))
        w.add(t, iri(OA + "hasSource"), self.art)
        w.add(t, iri(OA + "hasSelector"), iri(target + "-position"))
        w.add(iri(target + "-position"), iri(RDF_TYPE), iri(OA + "TextPositionSelector"))
        w.add(iri(target + "-position"), iri(OA + "start"), typed(str(start), "integer"))
        w.add(iri(target + "-position"), iri(OA + "end"), typed(str(end), "integer"))
        w.add(t, iri(OA + "hasSelector"), iri(target + "-quote"))
        w.add(iri(target + "-quote"), iri(RDF_TYPE), iri(OA + "TextQuoteSelector"))
        w.add(iri(target + "-quote"), iri(OA + "exact"), plain(exact))

    def annotate(self, body: str, text: str, quote: str, prop: str | None = None) -> None:
        s_start, s_end, q_start, q_end = self.sentence(text, quote)
        self.annotations += 1
        ann = ID + f"annotation/{self.id}/{self.annotations}"
        w = self.w
        w.add(iri(ann), iri(RDF_TYPE), iri(OA + "Annotation"))
        w.add(iri(ann), iri(OA + "motivatedBy"), iri(OA + ("describing" if prop else "identifying")))
        w.add(iri(ann), iri(OA + "hasBody"), body)
        if prop:
            w.add(iri(ann), iri(DIPLO + "statesProperty"), iri(SCHEMA + prop))
        w.add(iri(ann), iri(OA + "hasTarget"), iri(ann + "#target"))
        w.add(iri(ann), iri(PROV + "wasGeneratedBy"), self.run)
        self.selectors(ann + "#target", q_start, q_end, quote)
        sent = ID + f"sentence/{self.id}/{s_start}-{s_end}"
        self.selectors(sent, s_start, s_end, text)
        w.add(iri(ann), iri(DIPLO + "inSentence"), iri(sent))

    def event(self, e: dict) -> None:
        w, ev = self.w, iri(e["iri"])
        w.add(ev, iri(RDF_TYPE), iri(DIPLO + e["type"]))
        w.add(ev, iri(RDF_TYPE), iri(DIPLO + "DiplomaticEvent"))
        w.add(ev, iri(SCHEMA + "name"), ru(e["title"]))
        w.add(ev, iri(PROV + "wasDerivedFrom"), self.art)
        word = TYPE_WORDS[e["type"]]
        if e["date"]:
            d = e["date"]
            w.add(ev, iri(SCHEMA + "startDate"), typed(d.isoformat(), "date"))
            when = f"{d.day} {MONTHS_GEN[d.month - 1]}"
            self.annotate(ev, f"{when} {d.year} года состоялась {word}: {e['title']}.", when, "startDate")
        if e["place"]:
            w.add(ev, iri(SCHEMA + "location"), self.place(e["place"]))
            self.annotate(ev, f"Мероприятие прошло в городе {e['place']['name']}.", e["place"]["name"], "location")
        self.annotate(ev, f"Стороны отметили, что {word} прошла в конструктивной атмосфере.", word)
        for c in e["countries"]:
            w.add(ev, iri(DIPLO + "cooperationBetween"), self.country(c))
        for p in e["people"]:
            self.participation(e, p)
        for o in e["orgs"]:
            w.add(ev, iri(DIPLO + "involvedOrganization"), self.org(o))
        for d in e["docs"]:
            doc = iri(d["iri"])
            w.add(doc, iri(RDF_TYPE), iri(DIPLO + d["type"]))
            w.add(doc, iri(RDF_TYPE), iri(DIPLO + "SignedDocument"))
            w.add(doc, iri(SCHEMA + "name"), ru(d["title"]))
            w.add(doc, iri(DIPLO + "signedAt"), ev)
            for party in d["parties"]:
                w.add(doc, iri(DIPLO + "party"), self.org(party))
            self.annotate(doc, f"По итогам был подписан документ «{d['title']}».", d["title"])
        for phrase, area in e["topics"]:
            t = iri(ID + f"topic/{self.world.slug(phrase, 60)}")
            w.add(t, iri(RDF_TYPE), iri(SKOS + "Concept"))
            w.add(t, iri(SKOS + "prefLabel"), ru(phrase))
            w.add(t, iri(SKOS + "inScheme"), iri(ID + "topics"))
            if area:
                w.add(t, iri(SKOS + "broader"), iri(area))
            w.add(ev, iri(DIPLO + "topic"), t)

    def participation(self, e: dict, p: dict) -> None:
        w, ev, person = self.w, iri(e["iri"]), iri(p["iri"])
        node = iri(e["iri"] + f"/participant/{self.world.slug(p['name'])}")
        w.add(person, iri(RDF_TYPE), iri(SCHEMA + "Person"))
        w.add(person, iri(SCHEMA + "name"), ru(p["name"]))
        w.add(person, iri(DIPLO + "nameKey"), plain(self.world.surname_key(p["name"])))
        if p["gender"]:
            w.add(person, iri(SCHEMA + "gender"), iri(SCHEMA + p["gender"]))
        w.add(person, iri(DIPLO + "country"), self.country(p["country"]))
        if p["wd"]:
            w.add(person, iri(OWL_SAME_AS), iri(p["wd"]))
        w.add(ev, iri(SCHEMA + "attendee"), person)
        w.add(ev, iri(SEM_ACTOR), person)
        w.add(ev, iri(DIPLO + "hasParticipation"), node)
        w.add(node, iri(RDF_TYPE), iri(DIPLO + "Participation"))
        w.add(node, iri(DIPLO + "participant"), person)
        post = p["post"] if self.world.rnd.random() < 0.85 else None
        org = self.org(self.world.org_by_iri[p["org"]]) if p["org"] and self.world.rnd.random() < 0.8 else None
        if post:
            w.add(node, iri(DIPLO + "positionTitle"), ru(post))
        if org:
            w.add(node, iri(DIPLO + "onBehalfOf"), org)
        w.add(node, iri(DIPLO + "country"), self.country(p["country"]))
        if post:
            key = self.world.digest(post, org or "", e["date"].isoformat() if e["date"] else "", size=8)
            tenure = iri(p["iri"] + f"/tenure/{key}")
            w.add(tenure, iri(RDF_TYPE), iri(DIPLO + "Tenure"))
            w.add(tenure, iri(RDF_TYPE), iri(ORG + "Membership"))
            w.add(tenure, iri(ORG + "member"), person)
            if org:
                w.add(tenure, iri(ORG + "organization"), org)
            w.add(tenure, iri(DIPLO + "positionTitle"), ru(post))
            if e["date"]:
                w.add(tenure, iri(DIPLO + "attestedOn"), typed(e["date"].isoformat(), "date"))
            w.add(person, iri(DIPLO + "tenure"), tenure)
        text = f"В мероприятии принял участие {post or 'представитель'} {p['name']}."
        self.annotate(node, text, p["name"])

    def finish(self, tags: list[str]) -> ArticleWriter:
        w, art = self.w, self.art
        body = " ".join(self.sentences)
        w.add(art, iri(RDF_TYPE), iri(SCHEMA + "NewsArticle"))
        w.add(art, iri(SCHEMA + "identifier"), plain(self.id))
        w.add(art, iri(SCHEMA + "headline"), ru(self.sentences[0][:90] if self.sentences else self.id))
        w.add(art, iri(SCHEMA + "articleBody"), ru(body))
        w.add(art, iri(SCHEMA + "articleSection"), ru("Политика"))
        w.add(art, iri(DIPLO + "contentHash"), plain(hashlib.sha256(body.encode()).hexdigest()))
        w.add(art, iri(SCHEMA + "datePublished"), typed(self.published.isoformat(timespec="minutes"), "dateTime"))
        w.add(art, iri(SCHEMA + "contentUrl"), plain(f"/synthetic/{self.id}.txt"))
        for tag in tags:
            w.add(art, iri(SCHEMA + "keywords"), ru(tag))
        w.add(art, iri(SCHEMA + "publisher"), self.org({**self.outlet, "kind": "Media"}))
        author = iri(ID + f"person/{self.world.slug(self.author)}")
        w.add(author, iri(RDF_TYPE), iri(SCHEMA + "Person"))
        w.add(author, iri(SCHEMA + "name"), ru(self.author))
        w.add(art, iri(SCHEMA + "author"), author)
        run = self.run
        w.add(run, iri(RDF_TYPE), iri(DIPLO + "ExtractionRun"))
        w.add(run, iri(RDF_TYPE), iri(PROV + "Activity"))
        w.add(run, iri(PROV + "used"), art)
        w.add(run, iri(PROV + "wasAssociatedWith"), iri(ID + "software/kg"))
        w.add(run, iri(PROV + "endedAtTime"), typed("2025-11-25T12:00:00+00:00", "dateTime"))
        w.add(run, iri(DIPLO + "extractorVersion"), plain("kg-extract/0.1.0"))
        w.add(art, iri(PROV + "wasGeneratedBy"), run)
        w.add(iri(ID + "software/kg"), iri(RDF_TYPE), iri(PROV + "SoftwareAgent"))
        w.add(iri(ID + "software/kg"), iri(SCHEMA + "name"), plain("kg"))
        return w


def generate(path: Path, triples: int, seed: int) -> dict:
    """Writes the synthetic N-Quads; returns counts."""
    rnd = random.Random(seed)
    reference, store = reference_nquads()
    world = World(store, rnd)
    store.close()
    journalists = [f"{rnd.choice(MALE + FEMALE)} {rnd.choice(SURNAMES)}" for _ in range(150)]
    outlets = world.media[:40]
    outlet_weights = [1 / (k + 1) for k in range(len(outlets))]
    total = reference.count("\n")
    counts = {"articles": 0, "events": 0, "documents": 0, "participations": 0, "reference": total}
    backlog: list[dict] = []   # events a second article will report again
    k = 0
    with path.open("w", encoding="utf-8") as out:
        out.write(reference)
        while total < triples:
            k += 1
            fresh = [make_event(world, counts["events"] + j) for j in range(_weighted(rnd, [(1, 55), (2, 35), (3, 10)]))]
            counts["events"] += len(fresh)
            events = fresh + ([backlog.pop(0)] if backlog and rnd.random() < 0.5 else [])
            for e in fresh:
                if rnd.random() < 0.2:
                    backlog.append(e)
            day = min(e["day"] for e in events)
            published = datetime(day.year, day.month, day.day, rnd.randrange(8, 22), rnd.choice([0, 15, 30, 45]))
            published += timedelta(days=rnd.choice([0, 0, 0, 1, 2]))
            builder = ArticleBuilder(world, f"synth_{k:06d}", published,
                                     rnd.choices(outlets, weights=outlet_weights)[0], rnd.choice(journalists))
            for e in events:
                builder.event(e)
                counts["documents"] += len(e["docs"])
                counts["participations"] += len(e["people"])
            tags = sorted({world.countries[c]["name"] for e in events for c in e["countries"][:2]})
            w = builder.finish(tags)
            out.writelines(w.lines)
            total += len(w.lines)
            counts["articles"] += 1
    counts["triples"] = total
    return counts


# -- timing -----------------------------------------------------------------------------------

def library_queries(overrides: dict | None = None):
    """(name, SPARQL with prefixes, bindings): each library query with its defaults, and the
    parameters of ``overrides`` where the default names something the synthetic data lacks."""
    from kg.query import library, with_prefixes

    overrides = overrides or {}
    return [(name, with_prefixes(q.text), q.bindings(overrides.get(name, {}))) for name, q in library().items()]


def pick_overrides(store) -> dict:
    """Parameters for the queries whose default is not in the synthetic data: event-sources is
    asked about the event reported by the most articles."""
    from kg.query import with_prefixes

    rows = list(store.query(with_prefixes("""SELECT ?e (COUNT(DISTINCT ?a) AS ?n) WHERE { ?e prov:wasDerivedFrom ?a }
                                             GROUP BY ?e ORDER BY DESC(?n) ?e LIMIT 1""")))
    return {"event-sources": {"event": str(rows[0][0])}} if rows else {}


def percentile(times: list[float], q: float) -> float:
    """The nearest-rank percentile ``q`` (0–100) of ``times``."""
    ordered = sorted(times)
    return ordered[max(0, min(len(ordered) - 1, round(q / 100 * len(ordered) + 0.5) - 1))]


def open_loaded(path: Path, on_disk: Path | None, prepared: Path | None):
    """The store to time: the N-Quads loaded in memory, or bulk-loaded into a new on-disk store
    at ``on_disk`` (``kg.store``'s own local backend), or an on-disk store built before."""
    import pyoxigraph

    from kg.store import open_store

    t0 = time.perf_counter()
    if prepared is not None:
        store = open_store(str(prepared), create=False)
    elif on_disk is not None:
        store = open_store(str(on_disk))
        store.oxigraph.bulk_load(path=str(path), format=pyoxigraph.RdfFormat.N_QUADS)
    else:
        store = open_store(":memory:")
        store.oxigraph.load(path=str(path), format=pyoxigraph.RdfFormat.N_QUADS)
    return store, time.perf_counter() - t0


def time_oxigraph(store, runs: int) -> tuple[dict, int, dict]:
    """Each query twice over: straight through pyoxigraph (the engine: every row and value read),
    and through kg.store.Store.query as `kg query` runs it (rdflib terms made for every value).
    Per query: rows, and the median and 95th percentile of each path, in ms."""
    import pyoxigraph

    from kg.store.local import _to_ox

    size = len(store.oxigraph)
    overrides = pick_overrides(store)
    results = {}
    for name, sparql, bindings in library_queries(overrides):
        substitutions = {pyoxigraph.Variable(k): _to_ox(v) for k, v in bindings.items()}

        def engine(sparql=sparql, substitutions=substitutions) -> int:
            solutions = store.oxigraph.query(sparql, use_default_graph_as_union=True, substitutions=substitutions)
            return sum(1 for row in solutions for _ in row)

        def kg_path(sparql=sparql, bindings=bindings) -> int:
            return len(list(store.query(sparql, bindings)))

        timings = {}
        for label, fn in (("engine", engine), ("kg", kg_path)):
            fn()                                              # warm-up
            times = []
            for _ in range(runs):
                t = time.perf_counter()
                fn()
                times.append((time.perf_counter() - t) * 1000)
            timings[label] = (statistics.median(times), percentile(times, 95))
        results[name] = {"rows": kg_path(), "engine_p50": timings["engine"][0], "engine_p95": timings["engine"][1],
                         "p50": timings["kg"][0], "p95": timings["kg"][1]}
        print(f"  {name}: {results[name]['rows']} rows, p50 {results[name]['p50']:.1f} ms", flush=True)
    return results, size, overrides


_DATASET = None


def _rdflib_child(conn, sparql: str, bindings: dict, runs: int, budget: float) -> None:
    try:
        times, rows, spent = [], 0, 0.0
        for k in range(runs + 1):            # the first run is the warm-up
            t = time.perf_counter()
            rows = len(list(_DATASET.query(sparql, initBindings=bindings)))
            dt = time.perf_counter() - t
            spent += dt
            if k:
                times.append(dt)
            conn.send(("run", k, dt, rows))
            if spent > budget and times:
                break
        conn.send(("done", times, rows))
    except Exception as e:  # noqa: BLE001 - rdflib's engine fails on some queries Oxigraph runs
        conn.send(("error", f"{type(e).__name__}: {str(e).splitlines()[0] if str(e) else ''}"))


def time_rdflib(path: Path, runs: int, timeout: float, budget: float, overrides: dict) -> tuple[dict, float]:
    global _DATASET
    from rdflib import Dataset

    t0 = time.perf_counter()
    _DATASET = Dataset(default_union=True)
    _DATASET.parse(str(path), format="nquads")
    load = time.perf_counter() - t0
    ctx = mp.get_context("fork")
    results = {}
    for name, sparql, bindings in library_queries(overrides):
        parent, child = ctx.Pipe(duplex=False)
        proc = ctx.Process(target=_rdflib_child, args=(child, sparql, bindings, runs, budget))
        proc.start()
        child.close()
        outcome = None
        while outcome is None:
            if not parent.poll(timeout):
                outcome = ("timeout",)
                break
            try:
                msg = parent.recv()
            except EOFError:
                msg = ("error", "the rdflib process died")
            if msg[0] in ("done", "error"):
                outcome = msg
        if proc.is_alive():
            proc.kill()
        proc.join()
        if outcome[0] == "timeout":
            results[name] = None
            print(f"  rdflib {name}: >{timeout:.0f}s", flush=True)
        elif outcome[0] == "error":
            results[name] = outcome[1]
            print(f"  rdflib {name}: {outcome[1]}", flush=True)
        else:
            _, times, rows = outcome
            results[name] = (rows, statistics.median(times) * 1000, len(times))
            print(f"  rdflib {name}: {rows} rows, {results[name][1]:,.0f} ms ({len(times)} runs)", flush=True)
    _DATASET = None
    return results, load


def cold_start(location: Path, queries: tuple[str, ...], runs: int = 5) -> dict[str, float]:
    """Median wall time, in ms, of a fresh `python -m kg query --store DIR QUERY` per query."""
    def wall(query: str) -> float:
        t = time.perf_counter()
        subprocess.run([sys.executable, "-m", "kg", "query", "--store", str(location), query],
                       check=True, stdout=subprocess.DEVNULL, cwd=ROOT)
        return time.perf_counter() - t

    out = {}
    for query in queries:
        wall(query)
        out[query] = statistics.median(wall(query) for _ in range(runs)) * 1000
    return out


def small_store(workdir: Path, seed: int) -> tuple[Path, int]:
    """A small on-disk store (reference graphs and a few synthetic articles)."""
    import pyoxigraph

    from kg.store import open_store

    small = workdir / "small.nq"
    generate(small, 20_000, seed)
    location = workdir / "small-store"
    with open_store(str(location)) as store:
        store.oxigraph.load(path=str(small), format=pyoxigraph.RdfFormat.N_QUADS)
        size = len(store.oxigraph)
    return location, size


COLD = ("ASK { }", "person-events", "who-met-whom")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--triples", type=int, default=1_000_000,
                    help="size of the synthetic graph (default 1,000,000; 10,000,000 takes ~2 GB on disk)")
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--runs", type=int, default=5, help="timed runs per query after one warm-up (default 5)")
    ap.add_argument("--timeout", type=float, default=60.0, help="seconds an rdflib run may take (default 60)")
    ap.add_argument("--rdflib-budget", type=float, default=60.0,
                    help="stop repeating an rdflib query once its runs took this many seconds (default 60)")
    ap.add_argument("--out", type=Path, help="write the N-Quads here (default: a temporary folder)")
    ap.add_argument("--keep", action="store_true", help="keep the N-Quads file (and the on-disk store)")
    ap.add_argument("--reuse", action="store_true", help="use --out as it is when it exists")
    ap.add_argument("--on-disk", action="store_true",
                    help="bulk-load into an on-disk store (kg.store's local backend) instead of memory")
    ap.add_argument("--store-dir", type=Path,
                    help="time this on-disk store, built by an earlier --on-disk --keep run (no generation)")
    ap.add_argument("--json", type=Path, help="also write the figures here as JSON")
    ap.add_argument("--skip-rdflib", action="store_true")
    ap.add_argument("--skip-cold-start", action="store_true")
    args = ap.parse_args()
    args.skip_rdflib = args.skip_rdflib or args.store_dir is not None  # rdflib reads the N-Quads

    workdir = Path(tempfile.mkdtemp(prefix="kg-queries-1m-"))
    path = args.out or workdir / f"synthetic-{args.triples}.nq"
    report: dict = {"triples": args.triples, "seed": args.seed, "runs": args.runs}
    try:
        if args.store_dir is None:
            if args.reuse and path.exists():
                print(f"N-Quads: {path} (reused, {path.stat().st_size / 2**20:.0f} MiB)")
            else:
                t = time.perf_counter()
                counts = generate(path, args.triples, args.seed)
                report["generated"] = counts
                print(f"generated {counts['triples']:,} quads in {time.perf_counter() - t:.1f} s "
                      f"({path.stat().st_size / 2**20:.0f} MiB): {counts['articles']:,} article graphs, "
                      f"{counts['events']:,} events, {counts['participations']:,} participations, "
                      f"{counts['documents']:,} documents; reference graphs {counts['reference']:,} quads")
        on_disk = workdir / "store" if args.on_disk and args.store_dir is None else None
        where = "on disk" if args.on_disk or args.store_dir else "in memory"
        store, load = open_loaded(path, on_disk, args.store_dir)
        location = args.store_dir or on_disk
        ox, size, overrides = time_oxigraph(store, args.runs)
        store.close()
        report.update({"store": where, "quads": size, "load_s": load, "queries": ox, "overrides": overrides})
        print(f"Oxigraph ({where}): {size:,} quads, opened/loaded in {load:.1f} s")
        for name, params in overrides.items():
            print(f"  {name} runs with " + ", ".join(f"{k}={v}" for k, v in params.items()))
        rd: dict = {}
        if not args.skip_rdflib:
            rd, rd_load = time_rdflib(path, args.runs, args.timeout, args.rdflib_budget, overrides)
            print(f"rdflib Dataset (in memory): loaded in {rd_load:.1f} s")
        print()
        print(f"Median (p50) and 95th percentile of {args.runs} runs after a warm-up, in ms. Oxigraph: the engine "
              "alone (pyoxigraph, every value read) and through kg.store.Store.query (rdflib terms, as `kg query`); "
              "rdflib: its own engine, in a forked process stopped after the timeout; ratio: rdflib / Oxigraph engine.")
        print()
        print("| query | rows | Oxigraph | via kg p50 | via kg p95 | rdflib | ratio |")
        print("|---|---:|---:|---:|---:|---:|---:|")
        for name, r in ox.items():
            print(f"| {name} | {r['rows']} | {r['engine_p50']:.1f} | {r['p50']:.1f} | {r['p95']:.1f} | "
                  f"{_rdflib_cell(rd, name, r, args)} |")
        if not args.skip_cold_start:
            small, small_size = small_store(workdir, args.seed)
            report["cold_start_small"] = {"quads": small_size, "ms": cold_start(small, COLD)}
            print()
            print(f"cold start of `python -m kg query` (fresh process, median of 5), {small_size:,}-quad store: "
                  + ", ".join(f"{q} {ms:.0f} ms" for q, ms in report["cold_start_small"]["ms"].items()))
            if location is not None:
                report["cold_start"] = cold_start(location, COLD)
                print(f"  on the {size:,}-quad store: "
                      + ", ".join(f"{q} {ms:.0f} ms" for q, ms in report["cold_start"].items()))
        if args.json:
            args.json.write_text(json.dumps(report, indent=2, ensure_ascii=False, default=str), encoding="utf-8")
            print(f"wrote {args.json}")
    finally:
        if args.keep:
            print(f"kept {workdir}")
        else:
            shutil.rmtree(workdir, ignore_errors=True)


def _rdflib_cell(rd: dict, name: str, r: dict, args) -> str:
    if args.skip_rdflib:
        return "— | —"
    if rd.get(name) is None:
        return f">{args.timeout:.0f}s | >{args.timeout * 1000 / r['engine_p50']:,.0f}×"
    if isinstance(rd[name], str):
        return f"fails ({rd[name]}) | —"
    r_rows, r_med, r_runs = rd[name]
    cell = f"{r_med:,.0f}" + (f" ({r_runs} run{'s' if r_runs != 1 else ''})" if r_runs != args.runs else "")
    if r_rows != r["rows"]:
        cell += f" [{r_rows} rows]"
    return f"{cell} | {r_med / r['engine_p50']:,.0f}×"


if __name__ == "__main__":
    os.environ.setdefault("PYTHONHASHSEED", "0")
    main()
