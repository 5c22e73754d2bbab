using k8s;
using k8s.Models;
using Npgsql;
using Wavelet.Api.V1Alpha1;
using Wavelet.Engine;
using Wavelet.Operator.Kubernetes;

namespace Wavelet.Bench.Soak;

/// <summary>The operator soak's end checks: what is left in the engine's catalog and in the namespace that nothing owns.</summary>
public static class OperatorSoakChecks
{
    private const string MetadataTable = "_wavelet_objects";

    /// <summary>
    /// Objects of the soak's projects in the engine catalog that should not be there: anything in the schema of a project
    /// that is gone (the schema included), and in a live project's schema anything beyond its one table, one MV and one
    /// subscription (e.g. the MV or subscription of its query's previous SQL).
    /// </summary>
    public static async Task<List<string>> EngineOrphansAsync(LocalEngine engine, string prefix, IReadOnlySet<string> live, CancellationToken ct)
    {
        var builder = new NpgsqlDataSourceBuilder(engine.ConnectionString);
        builder.ConfigureTypeLoading(t => t.EnableTypeLoading(false));
        await using var database = builder.Build();
        await using var command = database.CreateCommand("""
            SELECT s.name::text, 'schema', s.name::text FROM rw_catalog.rw_schemas s WHERE s.name LIKE $1
            UNION ALL SELECT s.name::text, 'table', t.name::text FROM rw_catalog.rw_tables t JOIN rw_catalog.rw_schemas s ON s.id = t.schema_id WHERE s.name LIKE $1
            UNION ALL SELECT s.name::text, 'materialized view', m.name::text FROM rw_catalog.rw_materialized_views m JOIN rw_catalog.rw_schemas s ON s.id = m.schema_id WHERE s.name LIKE $1
            UNION ALL SELECT s.name::text, 'subscription', u.name::text FROM rw_catalog.rw_subscriptions u JOIN rw_catalog.rw_schemas s ON s.id = u.schema_id WHERE s.name LIKE $1
            """);
        command.Parameters.Add(new NpgsqlParameter { Value = WaveletProjectDefaults.SchemaFromName(prefix) + "%" });
        var objects = new List<(string Schema, string Kind, string Name)>();
        await using (var reader = await command.ExecuteReaderAsync(ct))
        {
            while (await reader.ReadAsync(ct))
            {
                objects.Add((reader.GetString(0), reader.GetString(1), reader.GetString(2)));
            }
        }

        var liveSchemas = live.Select(WaveletProjectDefaults.SchemaFromName).ToHashSet(StringComparer.Ordinal);
        var orphans = objects.Where(o => !liveSchemas.Contains(o.Schema)).Select(o => $"{o.Kind} {o.Schema}.{o.Name} of a deleted project").ToList();
        foreach (var schema in liveSchemas)
        {
            var held = objects.Where(o => o.Schema == schema).ToList();
            orphans.AddRange(held.Where(o => o.Kind == "table" && o.Name is not ("game_events" or MetadataTable)).Select(o => $"table {schema}.{o.Name}"));
            foreach (var kind in (ReadOnlySpan<string>)["materialized view", "subscription"])
            {
                var count = held.Count(o => o.Kind == kind);
                if (count > 1)
                {
                    orphans.Add($"{count} {kind}s in {schema} for its one query: {string.Join(", ", held.Where(o => o.Kind == kind).Select(o => o.Name))}");
                }
            }
        }

        return orphans;
    }

    /// <summary>
    /// Children in the namespace whose owning WaveletProject no longer exists (by uid: a re-created project does not adopt
    /// them), and any object named after a deleted project, owned or not.
    /// </summary>
    public static async Task<List<string>> KubernetesOrphansAsync(IKubernetes client, ResourceApi<WaveletProject> projects, string ns, IReadOnlySet<string> deleted, CancellationToken ct)
    {
        var owners = (await projects.ListAsync(ns, null, null, null, ct)).Items.Select(p => p.Metadata.Uid).ToHashSet(StringComparer.Ordinal);
        var children = new List<(string Kind, V1ObjectMeta Metadata)>();
        children.AddRange((await new ResourceApi<V1Deployment>(client).ListAsync(ns, null, null, null, ct)).Items.Select(o => ("Deployment", o.Metadata)));
        children.AddRange((await new ResourceApi<V1Service>(client).ListAsync(ns, null, null, null, ct)).Items.Select(o => ("Service", o.Metadata)));
        children.AddRange((await new ResourceApi<V1ConfigMap>(client).ListAsync(ns, null, null, null, ct)).Items.Select(o => ("ConfigMap", o.Metadata)));
        children.AddRange((await new ResourceApi<V1PodDisruptionBudget>(client).ListAsync(ns, null, null, null, ct)).Items.Select(o => ("PodDisruptionBudget", o.Metadata)));
        children.AddRange((await new ResourceApi<V2HorizontalPodAutoscaler>(client).ListAsync(ns, null, null, null, ct)).Items.Select(o => ("HorizontalPodAutoscaler", o.Metadata)));
        return
        [
            .. children
                .Where(c => (c.Metadata.OwnerReferences?.Any(r => r.Kind == "WaveletProject") == true
                        && c.Metadata.OwnerReferences.Where(r => r.Kind == "WaveletProject").All(r => !owners.Contains(r.Uid)))
                    || deleted.Any(d => c.Metadata.Name.StartsWith(d + "-", StringComparison.Ordinal)))
                .Select(c => $"{c.Kind} {c.Metadata.Name} of a deleted project"),
        ];
    }
}
