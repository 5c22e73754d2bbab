using Npgsql;
using Wavelet.Api;

namespace Wavelet.Operator.Ddl;

/// <summary>Reads what exists in one schema from rw_catalog and the project's metadata table. Never reads other schemas.</summary>
internal static class RisingWaveCatalogReader
{
    public static async Task<ActualSchema> ReadAsync(NpgsqlConnection connection, string schema, CancellationToken ct)
    {
        var schemaId = await ScalarAsync(connection, "SELECT id FROM rw_catalog.rw_schemas WHERE name = $1", [schema], ct);
        if (schemaId is null)
        {
            return ActualSchema.Empty;
        }

        var id = Convert.ToInt64(schemaId, System.Globalization.CultureInfo.InvariantCulture);
        var columns = new Dictionary<long, List<ActualColumn>>();
        foreach (var row in await RowsAsync(connection,
                     "SELECT c.relation_id, c.name, c.data_type FROM rw_catalog.rw_columns c JOIN rw_catalog.rw_relations r ON r.id = c.relation_id " +
                     "WHERE r.schema_id = $1 AND NOT c.is_hidden ORDER BY c.relation_id, c.position", [id], ct))
        {
            var relation = Convert.ToInt64(row[0], System.Globalization.CultureInfo.InvariantCulture);
            if (!columns.TryGetValue(relation, out var list))
            {
                columns[relation] = list = [];
            }

            list.Add(new ActualColumn((string)row[1]!, (string)row[2]!));
        }

        var tables = await RelationsAsync(connection, "rw_tables", id, columns, ct);
        var views = await RelationsAsync(connection, "rw_materialized_views", id, columns, ct);
        var subscriptions = (await RowsAsync(connection, "SELECT name, retention_seconds FROM rw_catalog.rw_subscriptions WHERE schema_id = $1", [id], ct))
            .ToDictionary(r => (string)r[0]!, r => new ActualSubscription((string)r[0]!, r[1] is null ? null : Convert.ToInt64(r[1], System.Globalization.CultureInfo.InvariantCulture)), StringComparer.Ordinal);
        var viewNames = views.Values.ToDictionary(v => v.Id, v => v.Name);
        var dependencies = (await RowsAsync(connection,
                "SELECT d.objid, d.refobjid FROM rw_catalog.rw_depend d JOIN rw_catalog.rw_materialized_views m ON m.id = d.objid WHERE m.schema_id = $1", [id], ct))
            .Select(r => (Dependent: Convert.ToInt64(r[0], System.Globalization.CultureInfo.InvariantCulture), DependsOn: Convert.ToInt64(r[1], System.Globalization.CultureInfo.InvariantCulture)))
            .Where(e => viewNames.ContainsKey(e.Dependent) && viewNames.ContainsKey(e.DependsOn))
            .Select(e => (viewNames[e.Dependent], viewNames[e.DependsOn]))
            .Distinct().ToList();

        var metadataExists = tables.ContainsKey(OwnedKinds.MetadataTable);
        var owned = new List<OwnedObject>();
        ProjectOwner? owner = null;
        if (metadataExists)
        {
            foreach (var row in await RowsAsync(connection,
                         $"SELECT kind, name, spec_hash, owner_namespace, owner_name, owner_uid FROM {WaveletNames.Quote(schema)}.{OwnedKinds.MetadataTable}", [], ct))
            {
                var kind = (string)row[0]!;
                if (kind == OwnedKinds.Project)
                {
                    owner = new ProjectOwner((string?)row[3] ?? "", (string?)row[4] ?? "", (string?)row[5]);
                }
                else
                {
                    owned.Add(new OwnedObject(kind, (string)row[1]!, (string?)row[2] ?? ""));
                }
            }
        }

        tables.Remove(OwnedKinds.MetadataTable);
        return new ActualSchema(true, metadataExists, owner, tables, views, subscriptions, owned, dependencies);
    }

    private static async Task<Dictionary<string, ActualRelation>> RelationsAsync(
        NpgsqlConnection connection, string catalog, long schemaId, Dictionary<long, List<ActualColumn>> columns, CancellationToken ct)
    {
        var relations = new Dictionary<string, ActualRelation>(StringComparer.Ordinal);
        foreach (var row in await RowsAsync(connection, $"SELECT id, name FROM rw_catalog.{catalog} WHERE schema_id = $1", [schemaId], ct))
        {
            var relationId = Convert.ToInt64(row[0], System.Globalization.CultureInfo.InvariantCulture);
            var name = (string)row[1]!;
            relations[name] = new ActualRelation(relationId, name, columns.GetValueOrDefault(relationId) ?? []);
        }

        return relations;
    }

    /// <summary>The visible columns of one view in the schema, in cursor order.</summary>
    public static async Task<IReadOnlyList<ActualColumn>> ViewColumnsAsync(NpgsqlConnection connection, string schema, string view, CancellationToken ct) =>
        (await RowsAsync(connection,
            "SELECT c.name, c.data_type FROM rw_catalog.rw_columns c JOIN rw_catalog.rw_materialized_views m ON m.id = c.relation_id " +
            "JOIN rw_catalog.rw_schemas s ON s.id = m.schema_id WHERE s.name = $1 AND m.name = $2 AND NOT c.is_hidden ORDER BY c.position",
            [schema, view], ct))
        .Select(r => new ActualColumn((string)r[0]!, (string)r[1]!)).ToList();

    private static async Task<object?> ScalarAsync(NpgsqlConnection connection, string sql, object?[] parameters, CancellationToken ct) =>
        (await RowsAsync(connection, sql, parameters, ct)).FirstOrDefault()?[0];

    private static async Task<List<object?[]>> RowsAsync(NpgsqlConnection connection, string sql, object?[] parameters, CancellationToken ct)
    {
        await using var command = new NpgsqlCommand(sql, connection);
        foreach (var value in parameters)
        {
            command.Parameters.Add(new NpgsqlParameter { Value = value });
        }

        await using var reader = await command.ExecuteReaderAsync(ct);
        var rows = new List<object?[]>();
        while (await reader.ReadAsync(ct))
        {
            var row = new object?[reader.FieldCount];
            for (var i = 0; i < row.Length; i++)
            {
                row[i] = reader.IsDBNull(i) ? null : reader.GetValue(i);
            }

            rows.Add(row);
        }

        return rows;
    }
}
