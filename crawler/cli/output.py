"""How films look on a terminal and in CSV: the table, the film card, flat rows.

Every value shown comes from crawled pages: terminal control characters are replaced before
printing, so a hostile title or verdict cannot move the cursor or recolour the terminal.
"""

from __future__ import annotations

import re
import sys
from collections.abc import Iterable, Mapping
from typing import Any

from aggregator.scales import CONTENT_CATEGORIES

FILM_CSV_COLUMNS = ("id", "title", "year", "mpaa_rating", "runtime_minutes", "imdb_id", "age",
                    "quality", *CONTENT_CATEGORIES, "parents_age", "kids_age", "sources", "sites",
                    "conflicts")
TABLE_CATEGORIES = ("violence", "sex", "language")  # the content columns the table always shows
# the card's short column heads (the legend under the grid spells them out)
CARD_COLUMNS = (("age", "age"), ("quality", "qual"), ("violence", "viol"), ("sex", "sex"),
                ("language", "lang"), ("substances", "subs"), ("consumerism", "cons"),
                ("scariness", "scar"), ("positive_messages", "msgs"), ("role_models", "role"))
CARD_LEGEND = ("age in years, qual(ity) 0-100; content 0-5: viol(ence) sex lang(uage) "
               "subs(tances) cons(umerism)",
               "scar(iness): higher = more of it; msgs (positive messages) role (models): "
               "higher = better")
_LINE_BREAKS = re.compile(r"[\t\n\r]+")
_CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f]")


def printable(text: Any) -> str:
    """``text`` on one line, terminal control characters (escape sequences) shown as ``?``."""
    return _CONTROL.sub("?", _LINE_BREAKS.sub(" ", str(text)))


def flat_row(record: dict[str, Any]) -> dict[str, Any]:
    row = {key: record.get(key) for key in ("id", "title", "year", "mpaa_rating",
                                             "runtime_minutes", "imdb_id", "parents_age",
                                             "kids_age")}
    row["age"] = record["age"]["consensus"]
    row["quality"] = record["quality"]["consensus"]
    for category, value in record["content"].items():
        row[category] = value["consensus"]
    row["sources"] = len(record["sources"])
    row["sites"] = " ".join(sorted({s["site"] for s in record["sources"]}))
    row["conflicts"] = " ".join(c["field"] for c in record["conflicts"])
    return row


def label(record: dict[str, Any]) -> str:
    year = record["year"] if record["year"] is not None else "year ?"
    return printable(f"{record['title']} ({year})")


def fmt(value: Any) -> str:
    return "-" if value is None else printable(value)


def print_table(records: list[dict[str, Any]], categories: Iterable[str] = (),
                scores: Mapping[int, float] | None = None) -> None:
    """One line per film; ``categories`` adds content columns (those a filter limited),
    ``scores`` a title-match column."""
    from rich.console import Console
    from rich.table import Table

    shown = (*TABLE_CATEGORIES, *(c for c in dict.fromkeys(categories)
                                  if c not in TABLE_CATEGORIES))
    table = Table(show_lines=False, box=None, pad_edge=False)
    heads = ("id", "title", "year", "MPAA", "min", "age", "quality", *shown, "sources",
             "conflicts", *(("match",) if scores else ()))
    for column in heads:
        table.add_column(column, overflow="fold", no_wrap=column != "title")
    for r in records:
        table.add_row(
            str(r["id"]), printable(r["title"]), fmt(r["year"]), fmt(r["mpaa_rating"]),
            fmt(r["runtime_minutes"]), fmt(r["age"]["consensus"]),
            fmt(r["quality"]["consensus"]),
            *(fmt(r["content"][c]["consensus"]) for c in shown),
            str(len(r["sources"])),
            " ".join(c["field"] for c in r["conflicts"]) or "-",
            *((fmt(scores.get(r["id"])),) if scores else ()),
        )
    width = None if sys.stdout.isatty() else 160  # piped output is not cut at 80 columns
    Console(width=width, highlight=False, markup=False).print(table)


def card_grid(record: dict[str, Any]) -> list[str]:
    """The consensus row, then one row per source site: age, quality and every category."""
    blocks = {"age": record["age"], "quality": record["quality"], **record["content"]}
    sites = list(dict.fromkeys(s["site"] for s in record["sources"]))
    lines = ["  " + f"{'':<15}" + "".join(f"{head:>6}" for _, head in CARD_COLUMNS)]

    def grid_row(name: str, value_of: Any) -> str:
        return "  " + f"{printable(name):<15}" + "".join(
            f"{fmt(value_of(blocks[key])):>6}" for key, _ in CARD_COLUMNS)

    lines.append(grid_row("consensus", lambda block: block["consensus"]))
    for site in sites:
        lines.append(grid_row(site, lambda block, s=site: block["by_site"].get(s)))
    lines += [f"  {line}" for line in CARD_LEGEND]
    return lines


def format_card(record: dict[str, Any]) -> str:
    """A film's consensus beside every source's values, the conflicts and the links."""
    facts = [f"MPAA {fmt(record['mpaa_rating'])}", f"{fmt(record['runtime_minutes'])} min",
             f"IMDb {fmt(record['imdb_id'])}", f"{len(record['sources'])} sources"]
    lines = [f"{label(record)}  [film {record['id']}]", "  " + "   ".join(facts),
             f"  parents say age {fmt(record['parents_age'])}   kids say age "
             f"{fmt(record['kids_age'])}", ""]
    lines += card_grid(record)
    lines += ["", "  sources:"]
    for source in record["sources"]:
        verdict = f"\n{'':<19}{printable(source['verdict'])}" if source.get("verdict") else ""
        lines.append(f"    {printable(source['site']):<14} {printable(source['url'])}{verdict}")
    if record["imdb_id"]:
        lines.append(f"    {'imdb title':<14} https://www.imdb.com/title/{fmt(record['imdb_id'])}/")
    if record["conflicts"]:
        lines += ["", "  conflicts (the sources disagree):"]
        for conflict in record["conflicts"]:
            values = ", ".join(f"{printable(s)} {fmt(v)}" for s, v in conflict["by_site"].items())
            lines.append(f"    {conflict['field']}: {values}")
    return "\n".join(lines)
