#!/usr/bin/env python3
"""Writes docs/api.md from the generated CRD (whose descriptions come from the C# types). Run after regenerating the CRD:
   python3 scripts/gen-api-doc.py > docs/api.md"""
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
        if "default" in child:
            extra.append(f"default `{child['default']}`")
        if "enum" in child:
            extra.append("one of " + ", ".join(f"`{v}`" for v in child["enum"]))
        if name in required:
            extra.append("required")
        out.append((p, type_of(child), desc + (" (" + "; ".join(extra) + ")" if extra else "")))
        rows(child, p, out)

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
    print("| field | type | meaning |")
    print("|---|---|---|")
    for p, t, d in out:
        if p.split(".")[0].split("[")[0] == section:
            print(f"| `{p}` | {t} | {d.replace('|', '/')} |")
