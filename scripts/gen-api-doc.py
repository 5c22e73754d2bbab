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

print(VALIDATION, end="")
