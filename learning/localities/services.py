"""Loading the official administrative units from the bundled CSV files."""

import csv
from dataclasses import dataclass
from pathlib import Path

from django.db import transaction

from learning.core.text import fold

from .models import Commune, CommuneType, Province, ProvinceType

DATA_DIR = Path(__file__).resolve().parent / "data"


@dataclass
class LoadResult:
    provinces_created: int = 0
    provinces_updated: int = 0
    communes_created: int = 0
    communes_updated: int = 0


class LocalityDataError(ValueError):
    """A row of the CSV files that cannot be loaded; says which file and line."""


def _read(path: Path, allowed_types: set[str], code_length: int) -> list[dict]:
    rows = []
    with path.open(encoding="utf-8", newline="") as fh:
        for line_no, row in enumerate(csv.DictReader(fh), start=2):
            code, name, kind = row.get("code", ""), row.get("name", ""), row.get("type", "")
            if len(code) != code_length or not code.isdigit():
                raise LocalityDataError(f"{path.name}:{line_no}: bad code {code!r}")
            if kind not in allowed_types:
                raise LocalityDataError(f"{path.name}:{line_no}: unknown type {kind!r}")
            if not name.strip():
                raise LocalityDataError(f"{path.name}:{line_no}: empty name")
            rows.append(row)
    return rows


def _upsert(model, rows: dict[str, dict], fields: list[str]) -> tuple[int, int]:
    """Create missing rows and update changed ones, matching on the code only."""
    existing = model.objects.in_bulk(list(rows))
    new, changed = [], []
    for code, values in rows.items():
        obj = existing.get(code)
        if obj is None:
            new.append(model(code=code, **values))
        elif any(getattr(obj, f) != values[f] for f in fields):
            for f in fields:
                setattr(obj, f, values[f])
            changed.append(obj)
    model.objects.bulk_create(new, batch_size=500)
    model.objects.bulk_update(changed, fields, batch_size=500)
    return len(new), len(changed)


@transaction.atomic
def localities_load(*, data_dir: Path = DATA_DIR) -> LoadResult:
    """Load or refresh provinces and communes; re-running updates names, never duplicates."""
    provinces = _read(data_dir / "vn_provinces.csv", set(ProvinceType.values), 2)
    communes = _read(data_dir / "vn_communes.csv", set(CommuneType.values), 5)
    province_codes = {row["code"] for row in provinces}
    for row in communes:
        if row["parent_code"] not in province_codes:
            raise LocalityDataError(f"commune {row['code']}: unknown province {row['parent_code']}")

    result = LoadResult()
    result.provinces_created, result.provinces_updated = _upsert(
        Province,
        {r["code"]: {"name": r["name"].strip(), "type": r["type"]} for r in provinces},
        ["name", "type"],
    )
    result.communes_created, result.communes_updated = _upsert(
        Commune,
        {
            r["code"]: {
                "name": r["name"].strip(),
                "type": r["type"],
                "province_id": r["parent_code"],
                "name_folded": fold(r["name"]),
            }
            for r in communes
        },
        ["name", "type", "province_id", "name_folded"],
    )
    return result
