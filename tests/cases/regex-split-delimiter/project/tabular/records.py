"""Delimited records (`name;email;role`) as the import screen reads them."""

import re
from typing import Dict, List


def parse_line(line: str, delimiter: str = ";") -> List[str]:
    """The fields of one record, split on the delimiter and stripped."""
    return [field.strip() for field in re.split(delimiter, line.rstrip("\n"))]


def parse_records(text: str, columns: List[str], delimiter: str = ";") -> List[Dict[str, str]]:
    rows = []
    for line in text.splitlines():
        if line.strip():
            rows.append(dict(zip(columns, parse_line(line, delimiter))))
    return rows
