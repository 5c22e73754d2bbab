using Wavelet.Api.Serialization;

namespace Wavelet.Api.V1Alpha1;

/// <summary>
/// The values the operator and data plane use when a field is unset. Every consumer reads settings through these
/// helpers, so a default lives in exactly one place.
/// </summary>
public static class WaveletProjectDefaults
{
    public const string Retention = "24h";
    public const int Replicas = 2;
    public const string DeletionPolicy = DeletionPolicies.Retain;
    public const int ServicePort = 8080;
    public const string ServiceType = "ClusterIP";
    public const int MaxConnectionsPerAddress = 1000;
    public const int MaxConnectionsPerToken = 100;
    public const int WritesPerSecond = 200;

    /// <summary>Requests and limits of a data-plane container whose spec sets none: enough for a few thousand sockets, and bounded.</summary>
    public static ResourceRequirements DefaultResources() => new()
    {
        Requests = new(StringComparer.Ordinal) { ["cpu"] = "100m", ["memory"] = "128Mi" },
        Limits = new(StringComparer.Ordinal) { ["memory"] = "512Mi" },
    };

    /// <summary>spec.dataPlane.resources, else <see cref="DefaultResources"/>.</summary>
    public static ResourceRequirements EffectiveResources(WaveletProject project)
    {
        ArgumentNullException.ThrowIfNull(project);
        return project.Spec.DataPlane?.Resources ?? DefaultResources();
    }

    /// <summary>spec.dataPlane.limits with every unset field defaulted (writeBurst: twice writesPerSecond, at least 1).</summary>
    public static DataPlaneLimits EffectiveLimits(WaveletProject project)
    {
        ArgumentNullException.ThrowIfNull(project);
        var limits = project.Spec.DataPlane?.Limits;
        var rate = limits?.WritesPerSecond ?? WritesPerSecond;
        return new DataPlaneLimits
        {
            MaxConnectionsPerAddress = limits?.MaxConnectionsPerAddress ?? MaxConnectionsPerAddress,
            MaxConnectionsPerToken = limits?.MaxConnectionsPerToken ?? MaxConnectionsPerToken,
            WritesPerSecond = rate,
            WriteBurst = limits?.WriteBurst ?? Math.Max(1, 2 * rate),
        };
    }

    /// <summary>spec.risingwave.schema, else the resource name with '-' replaced by '_'.</summary>
    public static string EffectiveSchema(WaveletProject project)
    {
        ArgumentNullException.ThrowIfNull(project);
        var schema = project.Spec.Risingwave.Schema;
        return string.IsNullOrEmpty(schema) ? SchemaFromName(project.Metadata.Name ?? "") : schema;
    }

    public static string SchemaFromName(string resourceName) => resourceName.Replace('-', '_');

    /// <summary>The query's retention, else spec.risingwave.subscriptionRetention, else 24h.</summary>
    public static string EffectiveRetention(WaveletProject project, QuerySpec? query = null)
    {
        ArgumentNullException.ThrowIfNull(project);
        if (!string.IsNullOrEmpty(query?.Retention))
        {
            return query.Retention;
        }

        var projectRetention = project.Spec.Risingwave.SubscriptionRetention;
        return string.IsNullOrEmpty(projectRetention) ? Retention : projectRetention;
    }

    /// <summary>The JWT claim compared with filterBy: filterClaim, else filterBy itself; null for an unfiltered query.</summary>
    public static string? EffectiveFilterClaim(QuerySpec query)
    {
        ArgumentNullException.ThrowIfNull(query);
        if (string.IsNullOrEmpty(query.FilterBy))
        {
            return null;
        }

        return string.IsNullOrEmpty(query.FilterClaim) ? query.FilterBy : query.FilterClaim;
    }

    /// <summary>
    /// Who may write events: Public only when spec.auth.writes says so, Authenticated otherwise. Without a JWT
    /// configuration nobody can authenticate, so Authenticated then means every write is rejected.
    /// </summary>
    public static string EffectiveWrites(WaveletProject project)
    {
        ArgumentNullException.ThrowIfNull(project);
        return project.Spec.Auth?.Writes == WriteAccess.Public ? WriteAccess.Public : WriteAccess.Authenticated;
    }

    /// <summary>True when a token can be verified: spec.auth.jwt has a secretRef or a jwksUrl.</summary>
    public static bool HasJwt(WaveletProject project)
    {
        ArgumentNullException.ThrowIfNull(project);
        var jwt = project.Spec.Auth?.Jwt;
        return jwt is not null && (jwt.SecretRef is not null || !string.IsNullOrEmpty(jwt.JwksUrl));
    }

    public static string EffectiveDeletionPolicy(WaveletProject project)
    {
        ArgumentNullException.ThrowIfNull(project);
        var policy = project.Spec.DeletionPolicy;
        return string.IsNullOrEmpty(policy) ? DeletionPolicy : policy;
    }

    public static bool IsSuspended(WaveletProject project)
    {
        ArgumentNullException.ThrowIfNull(project);
        return project.Spec.Suspend == true;
    }

    public static bool EffectiveAdoptExistingSchema(WaveletProject project)
    {
        ArgumentNullException.ThrowIfNull(project);
        return project.Spec.Risingwave.AdoptExistingSchema == true;
    }

    public static bool EffectiveAllowDestructiveChanges(WaveletProject project)
    {
        ArgumentNullException.ThrowIfNull(project);
        return project.Spec.Ddl?.AllowDestructiveChanges == true;
    }

    /// <summary>spec.dataPlane.replicas, else 2. (Autoscaling and suspend are the caller's concern.)</summary>
    public static int EffectiveReplicas(WaveletProject project)
    {
        ArgumentNullException.ThrowIfNull(project);
        return project.Spec.DataPlane?.Replicas ?? Replicas;
    }

    /// <summary>The query body as sent after <c>CREATE MATERIALIZED VIEW ... AS</c>: trailing whitespace and ';' removed.</summary>
    public static string EffectiveSql(QuerySpec query)
    {
        ArgumentNullException.ThrowIfNull(query);
        return SqlText.TrimTrailingSemicolons(query.Sql);
    }

    public static string SubscriptionName(QuerySpec query)
    {
        ArgumentNullException.ThrowIfNull(query);
        return SubscriptionName(query.Name);
    }

    public static string SubscriptionName(string queryName) => WaveletNames.SubscriptionPrefix + queryName;

    /// <summary>The source's slotName, else one derived from namespace, project and source name (see <see cref="SourceNames.DefaultSlot"/>).</summary>
    public static string EffectiveSlotName(WaveletProject project, SourceSpec source)
    {
        ArgumentNullException.ThrowIfNull(project);
        ArgumentNullException.ThrowIfNull(source);
        return string.IsNullOrEmpty(source.SlotName)
            ? SourceNames.DefaultSlot(project.Metadata.NamespaceProperty ?? "default", project.Metadata.Name ?? "", source.Name)
            : source.SlotName;
    }

    /// <summary>The source's publicationName, else its slot name.</summary>
    public static string EffectivePublicationName(WaveletProject project, SourceSpec source)
    {
        ArgumentNullException.ThrowIfNull(source);
        return string.IsNullOrEmpty(source.PublicationName) ? EffectiveSlotName(project, source) : source.PublicationName;
    }

    public const int SourcePort = 5432;

    public const string SourceSslMode = SslModes.Disabled;

    /// <summary>The name of a replicated table in the project's schema: its name, else the table part of schema.table.</summary>
    public static string EffectiveTableName(SourceTableSpec table)
    {
        ArgumentNullException.ThrowIfNull(table);
        if (!string.IsNullOrEmpty(table.Name))
        {
            return table.Name;
        }

        var dot = table.Table.IndexOf('.', StringComparison.Ordinal);
        return dot < 0 ? table.Table : table.Table[(dot + 1)..];
    }

    /// <summary>A deep copy of the project with every defaulted field filled in; the argument is left untouched.</summary>
    public static WaveletProject ApplyDefaults(WaveletProject project)
    {
        ArgumentNullException.ThrowIfNull(project);
        var copy = KubernetesJson.Deserialize<WaveletProject>(KubernetesJson.Serialize(project))
            ?? throw new InvalidOperationException("copying the project produced null");
        var spec = copy.Spec;
        spec.Risingwave.Schema = EffectiveSchema(copy);
        spec.Risingwave.SubscriptionRetention = EffectiveRetention(copy);
        foreach (var query in spec.Queries)
        {
            query.Retention = EffectiveRetention(copy, query);
            query.FilterClaim = EffectiveFilterClaim(query);
        }

        foreach (var source in spec.Sources)
        {
            source.SlotName = EffectiveSlotName(copy, source);
            source.PublicationName = EffectivePublicationName(copy, source);
            source.Connection.Port ??= SourcePort;
            source.Connection.SslMode ??= SourceSslMode;
            foreach (var table in source.Tables)
            {
                table.Name = EffectiveTableName(table);
            }
        }

        spec.Auth ??= new AuthSpec();
        spec.Auth.Writes = EffectiveWrites(copy);
        spec.DataPlane ??= new DataPlaneSpec();
        spec.DataPlane.Replicas ??= Replicas;
        spec.DataPlane.Resources ??= DefaultResources();
        spec.DataPlane.Limits = EffectiveLimits(copy);
        spec.Ddl ??= new DdlSpec();
        spec.Ddl.AllowDestructiveChanges ??= false;
        spec.DeletionPolicy = EffectiveDeletionPolicy(copy);
        spec.Suspend ??= false;
        return copy;
    }
}
