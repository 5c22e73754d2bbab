using Wavelet.Api.Meta;

namespace Wavelet.Api.Tests;

public class ManifestLoaderTests
{
    private const string TwoDocuments = """
        apiVersion: v1
        kind: Secret
        metadata:
          name: risingwave
        stringData:
          url: postgres://root@risingwave:4566/dev
        data:
          other: aGVsbG8=
        ---
        apiVersion: wavelet.risingwave.com/v1alpha1
        kind: WaveletProject
        metadata:
          name: game-stats
          namespace: apps
          managedFields: [{manager: kubectl}]
        spec:
          risingwave:
            connectionSecretRef: {name: risingwave, key: url}
            subscriptionRetention: 2d
          events:
            - name: game_events
              columns:
                - {name: player_id, type: string}
                - {name: score, type: int}
          queries:
            - name: leaderboard
              sql: |
                SELECT player_id, SUM(score) AS total
                FROM game_events GROUP BY player_id
              filterBy: player_id
          auth:
            jwt: {jwksUrl: "https://issuer.example.com/jwks.json"}
            writes: Public
          dataPlane:
            replicas: 3
            podDisruptionBudget: {minAvailable: 1, maxUnavailable: "50%"}
            affinity: {nodeAffinity: {requiredDuringSchedulingIgnoredDuringExecution: {nodeSelectorTerms: []}}}
          suspend: false
        ---
        apiVersion: v1
        kind: ConfigMap
        metadata: {name: other}
        """;

    [Fact]
    public void Reads_projects_secrets_and_other_objects_from_multi_document_yaml()
    {
        var manifests = ManifestLoader.Load(TwoDocuments);

        var project = Assert.Single(manifests.Projects);
        Assert.Equal("game-stats", project.Metadata.Name);
        Assert.Equal("apps", project.Metadata.NamespaceProperty);
        Assert.Equal("2d", project.Spec.Risingwave.SubscriptionRetention);
        Assert.Equal(["player_id", "score"], project.Spec.Events[0].Columns.Select(c => c.Name));
        Assert.Equal("SELECT player_id, SUM(score) AS total\nFROM game_events GROUP BY player_id\n", project.Spec.Queries[0].Sql);
        Assert.Equal("player_id", project.Spec.Queries[0].FilterBy);
        Assert.Equal(WriteAccess.Public, project.Spec.Auth!.Writes);
        Assert.Equal(3, project.Spec.DataPlane!.Replicas);
        Assert.Equal("1", project.Spec.DataPlane.PodDisruptionBudget!.MinAvailable);
        Assert.Equal("50%", project.Spec.DataPlane.PodDisruptionBudget.MaxUnavailable);
        Assert.NotNull(project.Spec.DataPlane.Affinity!["nodeAffinity"]);
        Assert.False(project.Spec.Suspend);

        var secret = manifests.FindSecret("risingwave");
        Assert.NotNull(secret);
        Assert.True(secret.TryGetValue("url", out var url));
        Assert.Equal("postgres://root@risingwave:4566/dev", url);
        Assert.True(secret.TryGetValue("other", out var other));
        Assert.Equal("hello", other);
        Assert.False(secret.TryGetValue("missing", out _));

        Assert.Equal("ConfigMap", Assert.Single(manifests.Others)["kind"]!.GetValue<string>());
    }

    [Fact]
    public void Int_or_string_fields_round_trip_as_kubernetes_writes_them()
    {
        var project = ManifestLoader.Load(TwoDocuments).Projects[0];
        var json = KubernetesJson.Serialize(project.Spec.DataPlane!.PodDisruptionBudget);
        Assert.Equal("""{"minAvailable":1,"maxUnavailable":"50%"}""", json);
    }

    [Fact]
    public void Malformed_yaml_reports_its_line()
    {
        var error = Assert.Throws<ManifestException>(() => ManifestLoader.Load("apiVersion: v1\nkind: Secret\nmetadata:\n  name: [unclosed\n", "bad.yaml"));
        Assert.StartsWith("bad.yaml: line ", error.Message, StringComparison.Ordinal);
        Assert.Contains("malformed YAML", error.Message, StringComparison.Ordinal);
        Assert.NotNull(error.Line);
    }

    [Fact]
    public void Unknown_spec_fields_are_rejected_with_their_path_and_line()
    {
        var yaml = TwoDocuments.Replace("filterBy: player_id", "filterby: player_id", StringComparison.Ordinal);
        var error = Assert.Throws<ManifestException>(() => ManifestLoader.Load(yaml));
        Assert.Equal("manifest: document 2 (line 10): line 30: spec.queries[0].filterby: unknown field \"filterby\"; check its spelling against docs/api.md", error.Message);
        Assert.Equal(30, error.Line);
    }

    [Fact]
    public void Wrong_types_name_the_field_and_the_expected_type()
    {
        var yaml = TwoDocuments.Replace("replicas: 3", "replicas: three", StringComparison.Ordinal);
        var error = Assert.Throws<ManifestException>(() => ManifestLoader.Load(yaml));
        Assert.Equal("manifest: document 2 (line 10): line 35: spec.dataPlane.replicas: has the wrong type; expected a whole number", error.Message);
    }

    [Fact]
    public void Quoted_scalars_stay_strings_and_plain_numbers_do_not()
    {
        const string yaml = """
            apiVersion: wavelet.risingwave.com/v1alpha1
            kind: WaveletProject
            metadata: {name: p}
            spec:
              risingwave: {connectionSecretRef: {name: rw, key: 123}}
            """;
        var error = Assert.Throws<ManifestException>(() => ManifestLoader.Load(yaml));
        Assert.Contains("spec.risingwave.connectionSecretRef.key: has the wrong type; expected a string (quote the value)", error.Message, StringComparison.Ordinal);
        var ok = ManifestLoader.Load(yaml.Replace("key: 123", "key: \"123\"", StringComparison.Ordinal));
        Assert.Equal("123", ok.Projects[0].Spec.Risingwave.ConnectionSecretRef.Key);
    }

    [Theory]
    [InlineData("apiVersion: wavelet.risingwave.com/v1\nkind: WaveletProject\nmetadata: {name: p}\n", "apiVersion \"wavelet.risingwave.com/v1\" is not served for WaveletProject; use wavelet.risingwave.com/v1alpha1")]
    [InlineData("- a\n- b\n", "expected a Kubernetes object")]
    [InlineData("metadata: {name: p}\n", "apiVersion and kind are required")]
    [InlineData("a: 1\na: 2\n", "duplicate key \"a\"")]
    public void Documents_that_are_not_objects_we_understand_are_rejected(string yaml, string expected)
    {
        var error = Assert.Throws<ManifestException>(() => ManifestLoader.Load(yaml));
        Assert.Contains(expected, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Empty_documents_and_anchors_are_handled()
    {
        const string yaml = """
            ---
            ---
            apiVersion: wavelet.risingwave.com/v1alpha1
            kind: WaveletProject
            metadata: {name: p}
            spec:
              risingwave: {connectionSecretRef: {name: rw, key: url}}
              events:
                - name: a
                  columns: &cols
                    - {name: id, type: string}
                - name: b
                  columns: *cols
            """;
        var project = Assert.Single(ManifestLoader.Load(yaml).Projects);
        Assert.Equal("id", project.Spec.Events[1].Columns[0].Name);
    }
}

public class ManifestLoaderRobustnessTests
{
    [Fact]
    public void Truncated_or_corrupted_manifests_fail_only_with_ManifestException()
    {
        var text = RepositoryRoot.ReadAllText("examples/saas-dashboard.yaml");
        var outcomes = 0;
        for (var length = 0; length < text.Length; length += 5)
        {
            foreach (var candidate in new[] { text[..length], text[..length] + "{[\"'", text.Remove(length, 1) })
            {
                try
                {
                    ManifestLoader.Load(candidate);
                }
                catch (ManifestException e)
                {
                    Assert.False(string.IsNullOrWhiteSpace(e.Message));
                }

                outcomes++;
            }
        }

        Assert.True(outcomes > 600);
    }

    [Fact]
    public void Unclosed_flow_mapping_names_its_line()
    {
        var error = Assert.Throws<ManifestException>(() => ManifestLoader.Load("a: 1\nb: {c: 2\nd: 3\n", "x.yaml"));
        Assert.StartsWith("x.yaml: line ", error.Message, StringComparison.Ordinal);
        Assert.Contains("malformed YAML", error.Message, StringComparison.Ordinal);
    }
}
