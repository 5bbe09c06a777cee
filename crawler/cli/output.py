"""How films look on a terminal and in CSV: the table, the film card, flat rows."""

from __future__ import annotations

import sys
from typing import Any

FILM_CSV_COLUMNS = ("id", "title", "year", "mpaa_rating", "runtime_minutes", "imdb_id", "age",
                    "quality", "violence", "sex", "language", "substances", "consumerism",
                    "scariness", "positive_messages", "role_models", "parents_age", "kids_age",
                    "sources", "sites", "conflicts")


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
    return f"{record['title']} ({year})"


def fmt(value: Any) -> str:
    return "-" if value is None else str(value)


def print_table(records: list[dict[str, Any]]) -> None:
    from rich.console import Console
    from rich.table import Table

    table = Table(show_lines=False, box=None, pad_edge=False)
    for column in ("id", "title", "year", "MPAA", "min", "age", "quality", "violence", "sex",
                   "language", "sources", "conflicts"):
        table.add_column(column, overflow="fold", no_wrap=column != "title")
    for r in records:
        content = r["content"]
        table.add_row(
            str(r["id"]), r["title"], fmt(r["year"]), fmt(r["mpaa_rating"]),
            fmt(r["runtime_minutes"]), fmt(r["age"]["consensus"]),
            fmt(r["quality"]["consensus"]), fmt(content["violence"]["consensus"]),
            fmt(content["sex"]["consensus"]), fmt(content["language"]["consensus"]),
            str(len(r["sources"])),
            " ".join(c["field"] for c in r["conflicts"]) or "-",
        )
    width = None if sys.stdout.isatty() else 160  # piped output is not cut at 80 columns
    Console(width=width, highlight=False, markup=False).print(table)


def format_card(record: dict[str, Any]) -> str:
    """A film's consensus beside every source's value, the conflicts and the links."""
    lines = [f"{label(record)}  [film {record['id']}]",
             f"  MPAA {fmt(record['mpaa_rating'])}   runtime {fmt(record['runtime_minutes'])} min"
             f"   IMDb {fmt(record['imdb_id'])}",
             f"  parents say age {fmt(record['parents_age'])}   kids say age "
             f"{fmt(record['kids_age'])}"]

    def row(name: str, block: dict[str, Any]) -> str:
        by_site = ", ".join(f"{site} {value}" for site, value in block["by_site"].items())
        return f"  {name:<24} {fmt(block['consensus']):>6}   {by_site}"

    lines.append(row("age", record["age"]))
    lines.append(row("quality (0-100)", record["quality"]))
    for category, block in record["content"].items():
        lines.append(row(category + " (0-5)", block))
    lines.append("  sources:")
    for source in record["sources"]:
        verdict = f" - {source['verdict']}" if source.get("verdict") else ""
        lines.append(f"    {source['site']:<14} {source['url']}{verdict}")
    if record["conflicts"]:
        lines.append("  conflicts:")
        for conflict in record["conflicts"]:
            values = ", ".join(f"{s} {v}" for s, v in conflict["by_site"].items())
            lines.append(f"    {conflict['field']}: {values}")
    return "\n".join(lines)

