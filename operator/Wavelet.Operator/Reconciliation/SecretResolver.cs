using Wavelet.Api.Meta;
using Wavelet.Api.V1Alpha1;
using Wavelet.Operator.Children;
using Wavelet.Operator.Kubernetes;

namespace Wavelet.Operator.Reconciliation;

/// <summary>A referenced Secret or key is missing; the message says which field refers to it and what to create.</summary>
public sealed class MissingSecretException(string message) : Exception(message);

/// <summary>Reads the Secrets a project references and checks every key it needs is there.</summary>
public sealed class SecretResolver(IKubernetes client, InformerCache? cache = null)
{
    private readonly ResourceClient<V1Secret> _secrets = client.Resource<V1Secret>(ResourceTypes.Secrets);

    public async Task<ResolvedSecrets> ResolveAsync(WaveletProject project, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(project);
        var ns = project.Metadata.NamespaceProperty;
        var references = new List<(string Field, SecretKeySelector Selector)>
        {
            ("spec.risingwave.connectionSecretRef", project.Spec.Risingwave.ConnectionSecretRef),
        };
        if (project.Spec.Auth?.Jwt?.SecretRef is { } jwt)
        {
            references.Add(("spec.auth.jwt.secretRef", jwt));
        }

        for (var i = 0; i < project.Spec.Queries.Count; i++)
        {
            if (project.Spec.Queries[i].Webhook?.SecretRef is { } webhook)
            {
                references.Add(($"spec.queries[{i}].webhook.secretRef", webhook));
            }
        }

        var secrets = new Dictionary<string, V1Secret>(StringComparer.Ordinal);
        var versions = new Dictionary<string, string>(StringComparer.Ordinal);
        string? databaseUrl = null;
        foreach (var (field, selector) in references)
        {
            if (!secrets.TryGetValue(selector.Name, out var secret))
            {
                // A cache miss is confirmed with the API server: a Secret created just before its project may not be cached yet.
                secret = (cache is null ? null : await cache.GetAsync<V1Secret>(client, ResourceTypes.Secrets, ns, selector.Name, ct))
                    ?? await _secrets.GetAsync(ns, selector.Name, ct)
                    ?? throw new MissingSecretException(
                        $"Secret \"{selector.Name}\" (from {field}) does not exist in namespace \"{ns}\"; create it with the key \"{selector.Key}\"");
                secrets[selector.Name] = secret;
                versions[selector.Name] = secret.Metadata.ResourceVersion ?? "";
            }

            if (!secret.TryGetValue(selector.Key, out var value) || value.Length == 0)
            {
                throw new MissingSecretException(
                    $"Secret \"{selector.Name}\" (from {field}) in namespace \"{ns}\" has no non-empty key \"{selector.Key}\"; add it or point {field}.key at an existing key");
            }

            databaseUrl ??= value;
        }

        return new ResolvedSecrets(databaseUrl!, versions);
    }
}
