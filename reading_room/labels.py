"""The Chinese names the site shows for ids kept as they are in the data (corpus/labels.yml)."""
from __future__ import annotations

import re
from dataclasses import dataclass, field


@dataclass(frozen=True)
class Labels:
    rules: dict = field(default_factory=dict)  # cleaning rule id -> name
    fields: dict = field(default_factory=dict)  # report field (reports.json key) -> name
    date_sources: dict = field(default_factory=dict)  # where a date was read -> name
    warnings: tuple = ()  # (compiled pattern, replacement): a curator warning in Chinese

    @classmethod
    def from_dict(cls, data: dict) -> "Labels":
        unknown = set(data) - {"rules", "fields", "date_sources", "warnings"}
        if unknown:
            raise ValueError(f"labels.yml: unknown section(s) {', '.join(sorted(unknown))}")
        values = {k: {str(a): str(b) for a, b in (data.get(k) or {}).items()}
                  for k in ("rules", "fields", "date_sources")}
        values["warnings"] = tuple((re.compile(w["pattern"]), str(w["text"])) for w in data.get("warnings") or [])
        return cls(**values)

    def warning(self, text: str) -> str:
        for pattern, replacement in self.warnings:
            if pattern.search(text):
                return pattern.sub(replacement, text)
        return text

    def rule(self, rule_id: str) -> str:
        return self.rules.get(rule_id, rule_id)

    def field(self, name: str) -> str:
        return self.fields.get(name, name)

    def date_source(self, value: str) -> str:
        return self.date_sources.get(value, value)
