using Wavelet.Api.Meta;

namespace Wavelet.Api.Tests;

public class ExampleManifestTests
{
    private static List<string> ExampleFiles() =>
        Directory.GetFiles(RepositoryRoot.Combine("examples"), "*.yaml").Select(f => Path.GetFileName(f)).Order(StringComparer.Ordinal).ToList();

    public static TheoryData<string> Examples() => new(ExampleFiles());

    [Fact]
    public void The_three_documented_examples_exist() =>
        Assert.Subset(ExampleFiles().ToHashSet(), new HashSet<string> { "leaderboard.yaml", "saas-dashboard.yaml", "ai-agent-monitor.yaml" });

    [Theory]
    [MemberData(nameof(Examples))]
    public void Every_example_is_valid_and_carries_the_secrets_it_references(string file)
    {
        var manifests = ManifestLoader.LoadFile(RepositoryRoot.Combine(Path.Combine("examples", file)));
        Assert.NotEmpty(manifests.Projects);
        foreach (var project in manifests.Projects)
        {
            var problems = WaveletProjectValidator.Validate(project);
            Assert.True(problems.Count == 0, WaveletProjectValidator.Describe(project, problems));

            foreach (var (path, secretRef) in SecretRefs(project))
            {
                var secret = manifests.FindSecret(secretRef.Name, project.Metadata.NamespaceProperty);
                Assert.True(secret is not null, $"{file}: {path} names Secret {secretRef.Name}, which the file does not define");
                Assert.True(secret.TryGetValue(secretRef.Key, out var value) && value.Length > 0, $"{file}: Secret {secretRef.Name} has no key {secretRef.Key} ({path})");
            }
        }
    }

    [Fact]
    public void Examples_cover_filtering_jwks_and_webhooks()
    {
        var saas = ManifestLoader.LoadFile(RepositoryRoot.Combine("examples/saas-dashboard.yaml")).Projects.Single();
        Assert.All(saas.Spec.Queries, q => Assert.Equal("tenant_id", q.FilterBy));
        Assert.StartsWith("https://", saas.Spec.Auth!.Jwt!.JwksUrl, StringComparison.Ordinal);

        var agents = ManifestLoader.LoadFile(RepositoryRoot.Combine("examples/ai-agent-monitor.yaml")).Projects.Single();
        Assert.Contains(agents.Spec.Queries, q => q.Webhook is not null);

        var leaderboard = ManifestLoader.LoadFile(RepositoryRoot.Combine("examples/leaderboard.yaml")).Projects.Single();
        Assert.Equal("leaderboard", WaveletProjectDefaults.EffectiveSchema(leaderboard));
        Assert.Equal(["game_events"], leaderboard.Spec.Events.Select(e => e.Name));
        Assert.Equal(["leaderboard"], leaderboard.Spec.Queries.Select(q => q.Name));
    }

    private static IEnumerable<(string Path, SecretKeySelector Ref)> SecretRefs(WaveletProject project)
    {
        yield return ("spec.risingwave.connectionSecretRef", project.Spec.Risingwave.ConnectionSecretRef);
        if (project.Spec.Auth?.Jwt?.SecretRef is { } jwt)
        {
            yield return ("spec.auth.jwt.secretRef", jwt);
        }

        for (var i = 0; i < project.Spec.Queries.Count; i++)
        {
            if (project.Spec.Queries[i].Webhook?.SecretRef is { } hook)
            {
                yield return ($"spec.queries[{i}].webhook.secretRef", hook);
            }
        }
    }
}
