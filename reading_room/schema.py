"""The schema of the curation files under corpus/ (JSON Schema, checked with jsonschema).

A curator's mistake stops the build with the file, the key and what is wrong:

    error: corpus/boilerplate.yml: lines[3]: unknown key `patern` (did you mean `pattern`?)
    error: corpus/boilerplate.yml: lines[0].pattern: does not compile: missing ), unterminated subpattern at position 3
    error: corpus/catalog.yml: a.txt.year: expected an integer, got 'twenty' (the year the report is about)

instead of a traceback, or a rule silently dropped (``line:`` for ``lines:`` used to
remove every line rule and leave the build green). ``settings.py`` loads the files
and calls ``check`` on each.
"""
from __future__ import annotations

import datetime
import difflib
import re

import jsonschema

_ZONE = {"enum": ["head", "tail", "ends", "anywhere"],
         "description": "head: the first zone_lines lines, tail: the last zone_lines, ends: either, anywhere"}
_NAME = {"type": "string", "minLength": 1, "description": "the rule's name, shown on the cleaning log"}


def _regex(what: str) -> dict:
    return {"type": "string", "format": "regex", "description": f"{what}: a Python regular expression"}


def _count(what: str, minimum: int = 0) -> dict:
    return {"type": "integer", "minimum": minimum, "description": what}


def _share(what: str) -> dict:
    return {"type": "number", "minimum": 0, "maximum": 1, "description": what}


def _rule(properties: dict, required=("name", "pattern")) -> dict:
    return {"type": "object", "properties": properties, "required": list(required), "additionalProperties": False}


def _list_of(item: dict, what: str) -> dict:
    return {"type": "array", "items": item, "description": what}


_STRINGS = {"type": "array", "items": {"type": "string", "minLength": 1}}

BOILERPLATE = {
    "type": "object",
    "additionalProperties": False,
    "properties": {
        "zone_lines": _count("lines at the head or tail of a report that a zone covers", 1),
        "lines": _list_of(_rule({
            "name": _NAME, "pattern": _regex("a line it matches is removed"),
            "max_length": _count("the rule only applies to lines of at most this many characters", 1),
            "zone": _ZONE,
            "not_numbered": {"type": "boolean", "description": "true: never a numbered line or an article"}},
        ), "rules that remove a line"),
        "prefixes": _list_of(_rule({"name": _NAME, "pattern": _regex("markup removed from the start of a line")}),
                             "markup removed at the start of a line"),
        "blocks": _list_of(_rule({
            "name": _NAME, "start": _regex("the first line of the widget"),
            "continue": _regex("each following line of the widget"),
            "after_separator_only": {"type": "boolean", "description": "true or false"},
            "zone": _ZONE}, required=("name", "start", "continue")), "multi-line widgets"),
        "metadata": _list_of(_rule({
            "name": _NAME, "pattern": _regex("named groups date, source, author are taken as values"),
            "value_on_next_line": {"type": "boolean", "description": "true or false"},
            "zone": _ZONE,
            "date_source": {"type": "string", "minLength": 1,
                            "description": "where a date read by this rule comes from (reports.json date_source)"},
            "fields": {"type": ["object", "null"], "additionalProperties": {"type": "string", "minLength": 1},
                       "description": "label as written: metadata field (发文字号: doc_number)"}}),
            "byline rules"),
        "furniture": {
            "type": "object", "additionalProperties": False,
            "properties": {
                "min_reports": _count("a line repeated in at least this many reports is furniture", 1),
                "min_share": {"type": "number", "minimum": 0, "maximum": 1,
                              "description": "and in at least this share of all reports (0–1)"},
                "max_length": _count("only lines of at most this many characters", 1),
            },
        },
    },
}

_MAPPING = {"type": ["object", "null"], "additionalProperties": {"type": "string", "minLength": 1},
            "description": "text: text"}
_BODY_RULE = {"type": "object", "additionalProperties": False, "required": ["pattern", "body"],
              "properties": {"pattern": _regex("the meeting"), "body": {"type": "string", "minLength": 1}}}

METADATA = {
    "type": "object",
    "additionalProperties": False,
    "properties": {
        "genres": _list_of({"type": "array", "prefixItems": [{"type": "string", "minLength": 1}] * 2,
                            "minItems": 2, "maxItems": 2, "description": "a pair: [keyword, genre]"},
                           "genre keywords, a list of [keyword, genre] pairs"),
        "organization_suffixes": dict(_STRINGS, description="words that end an issuing body's name"),
        # issue 11: bodies, their canonical names, and where a text names them
        "bodies": dict(_STRINGS, description="names that stand alone at the start of a title"),
        "canonical_organizations": {"type": ["object", "null"], "additionalProperties": _STRINGS,
                                    "description": "canonical name: [variants]"},
        "name_expansions": _MAPPING,
        "body_of_genre": _MAPPING,
        "speaker_offices": {"type": ["object", "null"], "additionalProperties": {"type": "string"},
                            "description": "office: the body it names ({place} for the occasion's place)"},
        "title_names_no_body": dict(_STRINGS, description="genres whose title is a law's name"),
        "issuing_verbs": dict(_STRINGS, description="verbs after a body in a title that names no genre"),
        "not_body_words": dict(_STRINGS, description="words ending in a body's suffix that name no body (格局, 城市)"),
        "headline_words": dict(_STRINGS, description="words never inside a body's name in a title (主持召开, 受, 欢迎)"),
        "founding_words": dict(_STRINGS, description="words after a body that say it is being founded (成立, 设立)"),
        "occasion_bodies": _list_of(_BODY_RULE, "meetings that adopt a text and the body each names"),
        "delivered_bodies": _list_of(_BODY_RULE, "meetings that hear a report and the body that reports"),
    },
}

_TEXT = {"type": "string", "description": "text"}
CATALOG = {
    "type": "object",
    "description": "file names under corpus/, each with the fields that override what was read",
    "additionalProperties": {
        "type": ["object", "null"],
        "additionalProperties": False,
        "properties": {
            "title": _TEXT, "organization": _TEXT, "genre": _TEXT, "source": _TEXT,
            "doc_number": _TEXT, "speaker": _TEXT, "occasion": _TEXT,
            "year": {"type": ["integer", "null"], "minimum": 1000, "maximum": 2999,
                     "description": "the year the report is about, four digits"},
            "date": {"type": "string", "description": "a date such as 2023-10-11"},
            "license": {"type": "string", "description": "the report's rights statement (default: extra.license in mkdocs.yml)"},
        },
    },
}

SLOGANS = {
    "type": "object",
    "additionalProperties": False,
    "properties": {
        "min_length": _count("shortest formulation, in characters", 1),
        "max_length": _count("longest formulation, in characters", 1),
        "unquoted_min_length": _count("shortest formulation looked for without quotation marks", 1),
        "stop": dict(_STRINGS, description="quotations that are not formulations"),
        "merges": {"type": ["object", "null"], "additionalProperties": {"type": "string", "minLength": 1},
                   "description": "variant: canonical form"},
        "cited_min_length": _count("shortest cited title, in characters", 1),
        "cited_max_length": _count("longest cited title, in characters", 1),
        "uses_per_page": _count("uses shown on an entry's page as it opens", 1),
        "context": _count("characters of context either side of a use", 0),
        # what is a formulation (issue 13; reading_room/index.py, judge)
        "allow": dict(_STRINGS, description="always formulations when used"),
        "stop_patterns": _list_of(_regex("a candidate it matches is never a formulation"), "never formulations"),
        "shapes": _list_of(_regex("a numbered shape (两个维护, 三严三实)"), "numbered shapes"),
        "name_heads": dict(_STRINGS, description="a candidate ending with one of these is a name"),
        "name_tags": dict(_STRINGS, description="jieba tags of names"),
        "surnames": dict(_STRINGS, description="surnames: one of these and a rare two-character word is a person's name"),
        "given_name_max_frequency": _count("jieba frequency up to which a two-character word after a surname is a given name", 0),
        "plain_starts": dict(_STRINGS, description="a phrase used bare that starts with one of these words is no formulation"),
        "people_ends": dict(_STRINGS, description="a phrase used bare that ends with one of these words for people is no formulation"),
        "place_ends": dict(_STRINGS, description="a phrase used bare that ends with one of these one-character words of place is no formulation"),
        "function_tags": dict(_STRINGS, description="jieba tags no bare formulation has"),
        "head_tags": dict(_STRINGS, description="jieba tags a bare formulation may end with"),
        "verb_tags": dict(_STRINGS, description="jieba tags a bare formulation may not start with"),
        "before_formulation_tags": dict(_STRINGS, description="jieba tags of a first word that makes the phrase a use "
                                        "of the formulation after it (推动|高质量发展)"),
        "after_formulation_tags": dict(_STRINGS, description="jieba tags of a last word that makes the phrase a use "
                                       "of the formulation before it (命运共同体|建设)"),
        "min_quoted_share": _share("share of uses quoted that makes a quotation a formulation"),
        "min_quoted_reports": _count("reports quoting it that make a quotation a formulation", 1),
        "min_reports_share": _share("share of all reports a formulation must be used in (curated ones excepted)"),
        "dictionary_quoted_share": _share("share of uses quoted that makes a dictionary word a formulation"),
        "numbered_min_reports": _count("reports using a numbered shape", 1),
        "numbered_concentration": _share("share of its numeral among all numerals with the same words"),
        "bare_min_reports": _count("reports using a phrase bare", 1),
        "bare_min_share": _share("share of all reports using a phrase bare"),
        "bare_max_share": _share("a phrase in more reports than this share is furniture"),
        "bare_min_bodies": _count("issuing bodies using a phrase bare", 1),
        "bare_max_length": _count("longest phrase used bare, in characters", 3),
        "bare_inside_ratio": _share("a phrase is part of a longer entry in this share of its uses"),
        "bare_max_continuation": _share("a phrase followed by the same character in this share of its uses is cut off"),
        "bare_min_cohesion": _share("reports of the phrase over those of the rarer side of its best cut"),
        "bare_closed_ratio": _share("a phrase is a piece of a longer one in this share of its reports"),
        "bare_boundary_share": _share("share of its reports where the phrase is whole words"),
        "bare_max_counting": _share("share of its bare uses in a clause that states a quantity"),
        "bare_min_context": _share("share of its reports that use a formulation writers quote"),
        "bare_context_lift": {"type": "number", "minimum": 0,
                              "description": "or this many times the corpus' share of such reports"},
        "context_quoted_share": _share("share of uses quoted of the formulations that mark political text"),
        "mining_sample_chars": _count("characters of the corpus phrases are mined from", 1),
    },
}

LIMITS = {
    "type": "object",
    "additionalProperties": False,
    "properties": {
        "max_text_mb": {"type": "number", "exclusiveMinimum": 0,
                        "description": "a text larger than this many megabytes is skipped and named"},
    },
}

REUSE = {
    "type": "object",
    "additionalProperties": False,
    "properties": {
        "min_distinct_chars": _count("matched characters outside template units that a shared passage holds", 1),
    },
}

_NAMES = {"type": ["object", "null"], "additionalProperties": {"type": "string", "minLength": 1},
          "description": "id: Chinese name"}
LABELS = {
    "type": "object",
    "additionalProperties": False,
    "properties": {
        "rules": dict(_NAMES, description="cleaning rule id: its Chinese name"),
        "fields": dict(_NAMES, description="report field (reports.json key): its Chinese name"),
        "date_sources": dict(_NAMES, description="where a date was read: its Chinese name"),
        "warnings": _list_of(_rule({"pattern": _regex("a curator warning it matches"),
                                    "text": {"type": "string", "description": "its Chinese text (\\1 … for groups)"}},
                                   required=("pattern", "text")), "curator warnings in Chinese"),
    },
}

SCHEMAS = {"boilerplate.yml": BOILERPLATE, "metadata.yml": METADATA, "catalog.yml": CATALOG,
           "slogans.yml": SLOGANS, "limits.yml": LIMITS, "labels.yml": LABELS,
           "reuse.yml": REUSE}


class SchemaError(ValueError):
    """One line per mistake: ``<file>: <key>: <what> (hint)``."""


_FORMATS = jsonschema.FormatChecker(formats=())


@_FORMATS.checks("regex", raises=re.error)
def _compiles(value) -> bool:
    if isinstance(value, str):
        re.compile(value)
    return True


_TYPES = {"string": "text", "integer": "an integer", "number": "a number", "boolean": "true or false",
          "array": "a list", "object": "a mapping (key: value)", "null": "nothing"}


def _normalised(name: str, data):
    """YAML reads `date: 2023-10-11` as a date; the catalog takes it as the text it is."""
    if name == "catalog.yml" and isinstance(data, dict):
        return {k: ({f: v.isoformat() if isinstance(v, datetime.date) else v for f, v in fields.items()}
                    if isinstance(fields, dict) else fields) for k, fields in data.items()}
    return data


def _where(path) -> str:
    out = ""
    for part in path:
        out += f"[{part}]" if isinstance(part, int) else (f".{part}" if out else str(part))
    return out


def _messages(label: str, error: jsonschema.ValidationError) -> list[str]:
    where = _where(error.absolute_path)
    prefix = f"{label}: {where}: " if where else f"{label}: "
    hint = error.schema.get("description") if isinstance(error.schema, dict) else None
    hint = f" ({hint})" if hint else ""
    kind = error.validator
    if kind == "additionalProperties" and isinstance(error.instance, dict):
        known = list(error.schema.get("properties", {}))
        out = []
        for key in sorted(set(error.instance) - set(known), key=str):
            close = difflib.get_close_matches(str(key), known, n=1, cutoff=0.6)
            suggestion = f"did you mean `{close[0]}`?" if close else "known keys: " + ", ".join(known)
            out.append(f"{label}: {_where([*error.absolute_path, key])}: unknown key ({suggestion})")
        return out
    if kind == "type":
        wanted = error.validator_value if isinstance(error.validator_value, list) else [error.validator_value]
        names = " or ".join(_TYPES.get(t, t) for t in wanted)
        return [f"{prefix}expected {names}, got {error.instance!r}{hint}"]
    if kind == "format" and error.cause is not None:
        return [f"{prefix}does not compile: {error.cause}{hint}"]
    if kind == "required":
        missing = [k for k in error.validator_value if k not in error.instance]
        return [f"{prefix}missing key `{k}`" for k in missing]
    if kind == "enum":
        return [f"{prefix}{error.instance!r} is not one of {', '.join(map(str, error.validator_value))}{hint}"]
    if kind in ("minimum", "maximum", "exclusiveMinimum", "minLength", "minItems", "maxItems"):
        return [f"{prefix}{error.message}{hint}"]
    return [f"{prefix}{error.message}{hint}"]


def check(name: str, data, label: str | None = None):
    """The file's data, checked (and normalised: catalog dates as text); raises
    SchemaError listing every mistake, each as ``<file>: <key>: <what> (hint)``."""
    label = label or name
    schema = SCHEMAS.get(name)
    data = _normalised(name, data)
    if schema is None:
        return data
    validator = jsonschema.Draft202012Validator(schema, format_checker=_FORMATS)
    errors = sorted(validator.iter_errors(data), key=lambda e: [str(p) for p in e.absolute_path])
    messages = [m for error in errors for m in _messages(label, error)]
    if messages:
        raise SchemaError("\n".join(messages))
    return data
