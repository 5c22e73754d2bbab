using System.Net;
using k8s;
using k8s.Autorest;
using k8s.Models;
using Wavelet.Api.Meta;
using Wavelet.Api.V1Alpha1;
using Wavelet.Operator.Children;

namespace Wavelet.Operator.Reconciliation;

/// <summary>A referenced Secret or key is missing; the message says which field refers to it and what to create.</summary>
public sealed class MissingSecretException(string message) : Exception(message);

/// <summary>
/// Reads the Secrets a project references, each with one GET when the project is reconciled, and checks every key it
/// needs is there. The operator holds no Secret between reconciles and watches none: it may read only what a project
/// names (docs/security.md); a rotated Secret is seen on the next reconcile, at the latest after the resync period.
/// </summary>
public sealed class SecretResolver(IKubernetes client)
{
    public async Task<ResolvedSecrets> ResolveAsync(WaveletProject project, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(project);
        var ns = project.Namespace();
        var references = new List<(string Field, SecretKeySelector Selector)>
        {
            ("spec.risingwave.connectionSecretRef", project.Spec.Risingwave.ConnectionSecretRef),
        };
        if (project.Spec.DataPlane?.ConnectionSecretRef is { } dataPlane)
        {
            references.Add(("spec.dataPlane.connectionSecretRef", dataPlane));
        }

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

        for (var i = 0; i < project.Spec.Sources.Count; i++)
        {
            if (project.Spec.Sources[i].Connection?.PasswordSecretRef is { } password)
            {
                references.Add(($"spec.sources[{i}].connection.passwordSecretRef", password));
            }
        }

        var secrets = new Dictionary<string, V1Secret>(StringComparer.Ordinal);
        var sourcePasswords = new Dictionary<string, string>(StringComparer.Ordinal);
        var versions = new Dictionary<string, string>(StringComparer.Ordinal);
        string? databaseUrl = null;
        foreach (var (field, selector) in references)
        {
            if (!secrets.TryGetValue(selector.Name, out var secret))
            {
                secret = await ReadAsync(ns, selector.Name, ct) ?? throw new MissingSecretException(
                    $"Secret \"{selector.Name}\" (from {field}) does not exist in namespace \"{ns}\"; create it with the key \"{selector.Key}\"");
                secrets[selector.Name] = secret;
                if (!field.StartsWith("spec.sources[", StringComparison.Ordinal))
                {
                    // A source password is for DDL only: rotating it must not restart the data plane.
                    versions[selector.Name] = secret.ResourceVersion() ?? "";
                }
            }

            if (!secret.TryGetValue(selector.Key, out var value) || value.Length == 0)
            {
                throw new MissingSecretException(
                    $"Secret \"{selector.Name}\" (from {field}) in namespace \"{ns}\" has no non-empty key \"{selector.Key}\"; add it or point {field}.key at an existing key");
            }

            databaseUrl ??= value;
            if (field.StartsWith("spec.sources[", StringComparison.Ordinal))
            {
                var index = int.Parse(field["spec.sources[".Length..field.IndexOf(']', StringComparison.Ordinal)], System.Globalization.CultureInfo.InvariantCulture);
                sourcePasswords[project.Spec.Sources[index].Name] = value;
            }
        }

        return new ResolvedSecrets(databaseUrl!, versions) { SourcePasswords = sourcePasswords };
    }

    private async Task<V1Secret?> ReadAsync(string ns, string name, CancellationToken ct)
    {
        try
        {
            return await client.CoreV1.ReadNamespacedSecretAsync(name, ns, cancellationToken: ct);
        }
        catch (HttpOperationException e) when (e.Response?.StatusCode == HttpStatusCode.NotFound)
        {
            return null;
        }
    }
}
