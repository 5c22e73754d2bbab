using Wavelet.Api.DataPlane;
using Wavelet.Api.V1Alpha1;

namespace Wavelet.Ddl;

/// <summary>Renders the data-plane config file from the project and the columns RisingWave reported. Secrets appear only as env names.</summary>
public static class DataPlaneConfigBuilder
{
    public static DataPlaneConfig Build(WaveletProject project, DdlSyncResult sync)
    {
        ArgumentNullException.ThrowIfNull(project);
        ArgumentNullException.ThrowIfNull(sync);
        var synced = sync.Queries.ToDictionary(q => q.Name, StringComparer.Ordinal);
        var jwt = project.Spec.Auth?.Jwt;
        var limits = WaveletProjectDefaults.EffectiveLimits(project);
        return new DataPlaneConfig
        {
            Limits = new LimitsConfig
            {
                MaxConnectionsPerAddress = limits.MaxConnectionsPerAddress!.Value,
                MaxConnectionsPerToken = limits.MaxConnectionsPerToken!.Value,
                WritesPerSecond = limits.WritesPerSecond!.Value,
                WriteBurst = limits.WriteBurst!.Value,
            },
            Project = $"{project.Metadata.NamespaceProperty}/{project.Metadata.Name}",
            Database = new DatabaseConfig { UrlEnv = DataPlaneEnvironment.DatabaseUrl, Schema = sync.Schema },
            Events = [.. project.Spec.Events.Select(e => new EventConfig
            {
                Name = e.Name,
                Table = e.Name,
                Columns = [.. e.Columns.Select(c => new ColumnConfig { Name = c.Name, Type = c.Type })],
            })],
            Queries = [.. project.Spec.Queries.Select(q =>
            {
                synced.TryGetValue(q.Name, out var result);
                return new QueryConfig
                {
                    Name = q.Name,
                    Subscription = result?.Subscription ?? WaveletProjectDefaults.SubscriptionName(q),
                    FilterBy = string.IsNullOrEmpty(q.FilterBy) ? null : q.FilterBy,
                    FilterClaim = WaveletProjectDefaults.EffectiveFilterClaim(q),
                    Columns = [.. (result?.Columns ?? []).Select(c => new ColumnConfig { Name = c.Name, Type = c.Type })],
                    SpecHash = result?.SpecHash ?? "",
                    Webhook = q.Webhook is null ? null : new WebhookConfig
                    {
                        Url = q.Webhook.Url,
                        SecretEnv = q.Webhook.SecretRef is null ? null : DataPlaneEnvironment.WebhookSecret(q.Name),
                    },
                };
            })],
            ValueShape = project.Spec.DataPlane?.ValueShape ?? ValueShapes.Upstream,
            Mcp = project.Spec.DataPlane?.Mcp?.Enabled == true ? new McpConfig { Enabled = true } : null,
            Auth = new AuthConfig
            {
                Writes = WaveletProjectDefaults.EffectiveWrites(project),
                Jwt = jwt is null ? null : new JwtConfig
                {
                    SecretEnv = jwt.SecretRef is null ? null : DataPlaneEnvironment.JwtSecret,
                    JwksUrl = jwt.JwksUrl,
                    Issuer = jwt.Issuer,
                    Audience = jwt.Audience,
                    AllowTokensWithoutExpiry = jwt.AllowTokensWithoutExpiry == true,
                    ClockSkewSeconds = jwt.ClockSkewSeconds ?? 30,
                    ArrayClaims = jwt.ArrayClaims ?? ArrayClaimModes.Union,
                },
            },
        };
    }
}
