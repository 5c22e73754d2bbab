using Wavelet.CrdGen;

namespace Wavelet.Api.Tests;

public class CrdTests
{
    private static JsonObject Crd => CrdGenerator.Build();

    private static JsonObject Version => (JsonObject)Crd["spec"]!["versions"]![0]!;

    private static JsonObject Schema => (JsonObject)Version["schema"]!["openAPIV3Schema"]!;

    [Fact]
    public void Committed_crd_matches_the_generator()
    {
        var committed = RepositoryRoot.ReadAllText(CrdGenerator.DefaultPath);
        Assert.True(
            committed == CrdGenerator.Render(),
            $"{CrdGenerator.DefaultPath} differs from the C# types; regenerate it with: dotnet run --project api/Wavelet.CrdGen -- {CrdGenerator.DefaultPath}");
    }

    [Fact]
    public void Committed_yaml_reads_back_to_the_generated_tree()
    {
        var parsed = Assert.Single(ManifestLoader.Load(RepositoryRoot.ReadAllText(CrdGenerator.DefaultPath)).Others);
        Assert.Equal(Crd.ToJsonString(), parsed.ToJsonString());
    }

    [Fact]
    public void Names_scope_and_versions()
    {
        var spec = Crd["spec"]!;
        Assert.Equal("waveletprojects.wavelet.risingwave.com", (string?)Crd["metadata"]!["name"]);
        Assert.Equal("wavelet.risingwave.com", (string?)spec["group"]);
        Assert.Equal("Namespaced", (string?)spec["scope"]);
        var names = spec["names"]!;
        Assert.Equal("WaveletProject", (string?)names["kind"]);
        Assert.Equal("WaveletProjectList", (string?)names["listKind"]);
        Assert.Equal("waveletprojects", (string?)names["plural"]);
        Assert.Equal("waveletproject", (string?)names["singular"]);
        Assert.Equal(["wavelet", "wavelets", "wl"], names["shortNames"]!.AsArray().Select(n => (string)n!));
        Assert.Equal(["wavelet"], names["categories"]!.AsArray().Select(n => (string)n!));
        var versions = spec["versions"]!.AsArray();
        Assert.Single(versions, v => (bool)v!["storage"]!);
        Assert.Equal("v1alpha1", (string?)Version["name"]);
        Assert.True((bool)Version["served"]!);
        Assert.Empty(Version["subresources"]!["status"]!.AsObject());
    }

    [Fact]
    public void Printer_columns_show_readiness_queries_replicas_and_age_with_endpoint_in_wide_output()
    {
        var columns = Version["additionalPrinterColumns"]!.AsArray().Select(c => c!.AsObject()).ToList();
        Assert.Equal(["READY", "REASON", "QUERIES", "REPLICAS", "AGE", "ENDPOINT"], columns.Select(c => ((string)c["name"]!).ToUpperInvariant()));
        Assert.Equal(["string", "string", "integer", "integer", "date", "string"], columns.Select(c => (string)c["type"]!));
        Assert.Equal([0, 0, 0, 0, 0, 1], columns.Select(c => (int?)c["priority"] ?? 0));
        Assert.All(columns, c => Assert.False(string.IsNullOrEmpty((string?)c["description"])));

        // Every column points at a field the schema has, with a matching type.
        // (.metadata is described by the API server, not by this schema.)
        foreach (var column in columns.Where(c => !((string)c["jsonPath"]!).StartsWith(".metadata.", StringComparison.Ordinal)))
        {
            var path = (string)column["jsonPath"]!;
            var fieldPath = path.Split("[?", 2)[0];
            var field = SchemaAt(fieldPath);
            var expectedType = (string)column["type"]! == "date" ? "string" : (string)column["type"]!;
            if (path.Contains("[?(@.type==\"Ready\")]", StringComparison.Ordinal))
            {
                var conditionField = path[(path.LastIndexOf('.') + 1)..];
                field = field["items"]!["properties"]![conditionField]!;
            }

            Assert.Equal(expectedType, (string?)field["type"]);
        }
    }

    private static JsonNode SchemaAt(string dottedPath)
    {
        JsonNode node = Schema;
        foreach (var part in dottedPath.TrimStart('.').Split('.'))
        {
            node = node["properties"]?[part] ?? throw new Xunit.Sdk.XunitException($"schema has no field {dottedPath}");
        }

        return node;
    }

    [Fact]
    public void Lists_of_named_items_merge_by_key()
    {
        Assert.Equal("spec.events=name spec.events[].columns=name spec.queries=name spec.sources=name spec.sources[].tables=table spec.sources[].tables[].columns=name status.conditions=type status.queries=name status.events=name",
            string.Join(' ', SchemaWalker.Nodes(Schema).Where(n => n.Node["x-kubernetes-list-type"] is not null)
                .Select(n => $"{n.Path}={string.Join(',', n.Node["x-kubernetes-list-map-keys"]!.AsArray().Select(k => (string)k!))}")));
    }

    [Fact]
    public void Schema_is_structural() => Assert.Empty(StructuralSchemaRules.Violations(Schema));

    [Fact]
    public void Structural_rules_catch_broken_schemas()
    {
        var broken = JsonNode.Parse("""
            {"type": "object", "properties": {
              "metadata": {"type": "object", "properties": {"labels": {"type": "object"}}},
              "untyped": {"description": "d"},
              "list": {"type": "array", "description": "d"},
              "ref": {"type": "object", "description": "d", "$ref": "#/x"},
              "union": {"type": "string", "description": "d", "anyOf": [{"type": "string", "description": "x"}]},
              "both": {"type": "object", "description": "d", "properties": {}, "additionalProperties": {"type": "string"}},
              "keyed": {"type": "array", "description": "d", "x-kubernetes-list-type": "map", "x-kubernetes-list-map-keys": ["name"],
                        "items": {"type": "object", "properties": {"name": {"type": "string", "description": "n"}}}},
              "cel": {"type": "object", "description": "d", "properties": {"xs": {"type": "array", "description": "d", "items": {"type": "string"}}},
                      "x-kubernetes-validations": [{"rule": "self.xs.all(x, x.size() > 1)", "message": "m"}]},
              "typo": {"type": "object", "description": "d", "properties": {"name": {"type": "string", "description": "n", "maxLength": 5}},
                       "x-kubernetes-validations": [{"rule": "has(self.nmae) && (self.name != 'x'", "message": "m"}]},
              "undocumented": {"type": "string"}
            }}
            """)!.AsObject();
        var violations = StructuralSchemaRules.Violations(broken);
        Assert.Contains(violations, v => v.StartsWith("metadata:", StringComparison.Ordinal));
        Assert.Contains(violations, v => v.StartsWith("untyped: has no type", StringComparison.Ordinal));
        Assert.Contains(violations, v => v.StartsWith("list: an array without items", StringComparison.Ordinal));
        Assert.Contains(violations, v => v.StartsWith("ref: keyword $ref is not allowed", StringComparison.Ordinal));
        Assert.Contains(violations, v => v.StartsWith("union: anyOf must not set type", StringComparison.Ordinal));
        Assert.Contains(violations, v => v.StartsWith("both: properties and additionalProperties", StringComparison.Ordinal));
        Assert.Contains(violations, v => v.StartsWith("keyed: list map key name is not required", StringComparison.Ordinal));
        Assert.Contains(violations, v => v.StartsWith("cel: CEL rule reads xs, an array without maxItems", StringComparison.Ordinal));
        Assert.Contains(violations, v => v.StartsWith("cel.xs[]: a string without maxLength", StringComparison.Ordinal));
        Assert.Contains(violations, v => v.StartsWith("undocumented: has no description", StringComparison.Ordinal));
        Assert.Contains(violations, v => v.StartsWith("typo: CEL rule reads nmae, which is not a field under this node", StringComparison.Ordinal));
        Assert.Contains(violations, v => v.StartsWith("typo: CEL rule has unbalanced parentheses or quotes", StringComparison.Ordinal));
    }

    [Fact]
    public void Cel_rules_mirror_the_validator()
    {
        var rules = SchemaWalker.Nodes(Schema)
            .SelectMany(n => (n.Node["x-kubernetes-validations"]?.AsArray() ?? []).Select(r => $"{n.Path}: {(string)r!["rule"]!}"))
            .ToList();
        Assert.Contains(rules, r => r.StartsWith("spec: ", StringComparison.Ordinal) && r.Contains("q.name == e.name", StringComparison.Ordinal));
        Assert.Contains(rules, r => r.StartsWith("spec: ", StringComparison.Ordinal) && r.Contains("has(self.auth.jwt)", StringComparison.Ordinal));
        Assert.Contains(rules, r => r.StartsWith("spec.queries[]: ", StringComparison.Ordinal) && r.Contains("has(self.filterBy)", StringComparison.Ordinal));
        Assert.Contains(rules, r => r.StartsWith("spec.auth.jwt: ", StringComparison.Ordinal));
        Assert.Equal(Retention.Pattern, (string?)SchemaAt(".spec.risingwave.subscriptionRetention")["pattern"]);
        Assert.Equal(WaveletNames.IdentifierPattern, (string?)SchemaAt(".spec.queries")["items"]!["properties"]!["filterBy"]!["pattern"]);
    }

    [Fact]
    public void Every_generated_pattern_agrees_with_the_validator_on_samples()
    {
        var webhook = (string)SchemaAt(".spec.queries")["items"]!["properties"]!["webhook"]!["properties"]!["url"]!["pattern"]!;
        Assert.Matches(webhook, "https://hooks.example.com/x");
        Assert.DoesNotMatch(webhook, "ftp://hooks.example.com");
        var jwks = (string)SchemaAt(".spec.auth.jwt.jwksUrl")["pattern"]!;
        Assert.Matches(jwks, "https://issuer.example.com/jwks.json");
        Assert.Matches(jwks, "http://localhost:8080/jwks.json");
        Assert.DoesNotMatch(jwks, "http://issuer.example.com/jwks.json");
    }
}
