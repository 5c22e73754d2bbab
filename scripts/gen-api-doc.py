#!/usr/bin/env python3
"""Writes docs/api.md from the generated CRD (whose descriptions come from the C# types). Run after regenerating the CRD:
   python3 scripts/gen-api-doc.py > docs/api.md"""
import re
import yaml

crd = yaml.safe_load(open("crds/waveletprojects.wavelet.risingwave.com.yaml"))
schema = crd["spec"]["versions"][0]["schema"]["openAPIV3Schema"]

def type_of(node):
    if node.get("x-kubernetes-int-or-string"):
        return "int or string"
    t = node.get("type", "object")
    if t == "array":
        return f"[]{type_of(node.get('items', {}))}"
    if t == "object" and "additionalProperties" in node:
        return f"map[string]{type_of(node['additionalProperties'])}"
    if "format" in node:
        return f"{t} ({node['format']})"
    return t

def cell(text):
    """Markdown table cell: a literal '|' (e.g. in a pattern) must be escaped."""
    return text.replace("|", "\\|")

def default_of(node, desc):
    """The default stated in the description ("Default: 24h." or "Retain (default)"), else the schema default."""
    if "default" in node:
        return f"`{node['default']}`"
    m = re.search(r"Default: (.+?)(?:\.(?:\s|$)|$| \()", desc)
    if m:
        value = m.group(1)
        return f"`{value}`" if re.fullmatch(r"[\w.%-]+", value) else value
    m = re.search(r"(\w+) \(default", desc)
    return f"`{m.group(1)}`" if m else ""

def rows(node, path, out):
    props = node.get("properties")
    if node.get("type") == "array":
        rows(node.get("items", {}), path + "[]", out)
        return
    if not props:
        return
    required = set(node.get("required", []))
    for name, child in props.items():
        p = f"{path}.{name}" if path else name
        desc = " ".join(child.get("description", "").split())
        extra = []
        if "minimum" in child or "maximum" in child:
            extra.append(f"{child.get('minimum', '')}..{child.get('maximum', '')}")
        if "minLength" in child or "maxLength" in child:
            extra.append(f"length {child.get('minLength', 0)}..{child.get('maxLength', '')}")
        if "maxItems" in child:
            extra.append(f"at most {child['maxItems']} items")
        if "pattern" in child:
            extra.append(f"pattern `{child['pattern']}`")
        if "enum" in child:
            extra.append("one of " + ", ".join(f"`{v}`" for v in child["enum"]))
        if name in required:
            extra.append("required")
        out.append((p, type_of(child), default_of(child, desc), desc + (" (" + "; ".join(extra) + ")" if extra else "")))
        rows(child, p, out)

VALUE_SHAPES = """
## Value shapes (`spec.dataPlane.valueShape`)

Row values leave the data plane (WebSocket snapshots and diffs, `GET /v1/queries/{name}`, webhooks, MCP) as JSON in
one of two shapes. `Upstream` (the default) is what upstream Wavelet's server sends: it reads RisingWave with
node-postgres 8, whose text parsers (pg-types 2) turn each column into a JavaScript value, and `JSON.stringify` writes
that value. `Numbers` differs only where marked: `bigint` and `numeric` become JSON numbers (JavaScript clients lose
precision above 2^53). A change of the setting restarts every query's feed, and clients get a fresh snapshot.

| RisingWave type | `Upstream` | `Numbers` |
|---|---|---|
| `smallint`, `integer` | number: `42` | same |
| `bigint` | string: `"9007199254740993"` | number: `9007199254740993` |
| `numeric` / `decimal` | string, PostgreSQL's text: `"12.50"` | number: `12.50` |
| `real`, `double precision` | number: `2.25`; `NaN`, `Infinity` → `null` | same |
| `boolean` | `true` / `false` | same |
| `varchar` / `text` | string | same |
| `date` | ISO 8601 UTC midnight: `"2024-02-29T00:00:00.000Z"` | same |
| `timestamp` | ISO 8601 with milliseconds (microseconds truncated), read as UTC: `"2024-01-02T03:04:05.678Z"` | same |
| `timestamptz` | the same in UTC: `"2024-01-02T01:04:05.678Z"` for `03:04:05.678912+02` | same |
| `time` | PostgreSQL's text: `"12:34:56.5"` | same |
| `interval` | object of the non-zero fields `years, months, days, hours, minutes, seconds, milliseconds`: `{"days":3,"hours":4}`; zero → `{}` | same |
| `bytea` | a Node Buffer: `{"type":"Buffer","data":[0,255,16]}` | same |
| `jsonb` | the parsed value | same |
| `integer[]`, `varchar[]`, ... | array of the element shapes | same |
| `bigint[]` | array of strings: `["1","-2"]` | array of numbers |
| `numeric[]` | array of numbers (pg-types parses it with `parseFloat`): `[1.5,2]` | same |
| NULL | `null` | same |

Upstream's server is assumed to run with `TZ=UTC` (the container default): node-postgres reads a `date` and a
`timestamp` as local time. The test `ValueShapeTests` checks every row of this table in snapshots, diffs, reads and
webhooks under both settings.
"""

VALIDATION = """
## Validation

The API server checks the schema above (patterns, enums, bounds) and CEL rules: event and query names distinct (also
from every query's subscription `wavelet_sub_<query>`), no `_wavelet` prefix, `filterClaim` only with `filterBy`,
`filterBy` only with `spec.auth.jwt`, `spec.auth.jwt` with `secretRef` or `jwksUrl`, one of `minAvailable` /
`maxUnavailable`, `minReplicas <= maxReplicas`. The operator re-checks all of it and more with the C# validator
(`WaveletProjectValidator`), which reports every problem at once with its field path and a fix, in the project's
`Stalled` condition (reason `InvalidSpec`) and a Warning event, e.g.:

```
spec.queries[1].filterBy: "tenant-id" is not a valid column name; use lowercase letters, digits and underscores, starting with a letter or underscore (at most 63 characters)
spec.queries[0].sql: contains more than one statement; write a single SELECT without ';' between statements
spec.auth.jwt.jwksUrl: "http://auth.example.com/jwks.json" uses http, so the signing keys could be tampered with in transit; use https (plain http is allowed only for localhost)
```

Sources (`spec.sources[]`, see [docs/design/cdc-sources.md](design/cdc-sources.md)): names are identifiers unique with
events and queries (a replicated table takes the table part of `schema.table` unless `name` is set), `slotName` and
`publicationName` follow PostgreSQL's slot rule (`[a-z0-9_]`, at most 63), two sources never share a slot, every
`primaryKey` column is one of `columns`, and host, database and user contain nothing with a meaning in a connection
string. The password only ever comes from `connection.passwordSecretRef`.

Checks only the C# validator makes: SQL is a single statement and not blank; a schema derived from the resource name
must be a valid identifier; `public` and system schemas (`pg_*`, `information_schema`, `rw_catalog`) are refused; resource
quantities are well-formed. Checks that need RisingWave (a `filterBy` column exists in the query's result, the schema
is not owned by another project, the SQL compiles) happen during the sync and are reported in the `DdlSynced`
condition. Every invalid manifest under `tests/Wavelet.Api.Tests/Invalid/` shows one rule and its message.
"""

out = []
for top in ("spec", "status"):
    rows(schema["properties"][top], top, out)

print("# WaveletProject API reference (`wavelet.risingwave.com/v1alpha1`)")
print()
print("Generated from the CRD (`scripts/gen-api-doc.py`), whose descriptions come from the C# types in `api/`; a test")
print("fails when a field of the C# types is missing here. Defaults not expressible in the schema are applied by the")
print("operator and stated in each description (e.g. schema = resource name with `-` → `_`, retention `24h`, replicas `2`,")
print("deletionPolicy `Retain`, writes `Authenticated`).")
print()
print("Short names: `wavelet`, `wavelets`, `wl`; category `wavelet`. `kubectl get wavelets` shows READY, REASON, QUERIES,")
print("REPLICAS, AGE (and ENDPOINT with `-o wide`).")
for section in ("spec", "status"):
    print()
    print(f"## {section}")
    print()
    print("| field | type | default | meaning |")
    print("|---|---|---|---|")
    for p, t, default, d in out:
        if p.split(".")[0].split("[")[0] == section:
            print(f"| `{p}` | {t} | {cell(default)} | {cell(d)} |")

print(VALUE_SHAPES, end="")
print(VALIDATION, end="")
