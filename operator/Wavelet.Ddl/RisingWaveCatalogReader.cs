using Npgsql;
using Wavelet.Api;

namespace Wavelet.Ddl;

/// <summary>Reads what exists in one schema from rw_catalog and the project's metadata table. Never reads other schemas.</summary>
internal static class RisingWaveCatalogReader
{
    // One round trip for the whole catalog side of a sync: every row says what it is (kind), the columns unused by a kind are null.
    private const string CatalogSql =
        "SELECT 'schema'::varchar AS kind, s.id::bigint AS id, s.name::varchar AS name, NULL::varchar AS data_type, NULL::bigint AS pos, NULL::bigint AS ref " +
        "FROM rw_catalog.rw_schemas s WHERE s.name = $1 " +
        "UNION ALL SELECT 'table', t.id::bigint, t.name::varchar, NULL::varchar, NULL::bigint, NULL::bigint " +
        "FROM rw_catalog.rw_tables t JOIN rw_catalog.rw_schemas s ON s.id = t.schema_id WHERE s.name = $1 " +
        "UNION ALL SELECT 'view', m.id::bigint, m.name::varchar, NULL::varchar, NULL::bigint, NULL::bigint " +
        "FROM rw_catalog.rw_materialized_views m JOIN rw_catalog.rw_schemas s ON s.id = m.schema_id WHERE s.name = $1 " +
        "UNION ALL SELECT 'subscription', b.id::bigint, b.name::varchar, NULL::varchar, NULL::bigint, b.retention_seconds::bigint " +
        "FROM rw_catalog.rw_subscriptions b JOIN rw_catalog.rw_schemas s ON s.id = b.schema_id WHERE s.name = $1 " +
        "UNION ALL SELECT 'source', o.id::bigint, o.name::varchar, NULL::varchar, NULL::bigint, NULL::bigint " +
        "FROM rw_catalog.rw_sources o JOIN rw_catalog.rw_schemas s ON s.id = o.schema_id WHERE s.name = $1 " +
        "UNION ALL SELECT 'column', c.relation_id::bigint, c.name::varchar, c.data_type::varchar, c.position::bigint, NULL::bigint " +
        "FROM rw_catalog.rw_columns c JOIN rw_catalog.rw_relations r ON r.id = c.relation_id JOIN rw_catalog.rw_schemas s ON s.id = r.schema_id " +
        "WHERE s.name = $1 AND NOT c.is_hidden " +
        "UNION ALL SELECT 'depend', d.objid::bigint, NULL::varchar, NULL::varchar, NULL::bigint, d.refobjid::bigint " +
        "FROM rw_catalog.rw_depend d JOIN rw_catalog.rw_materialized_views m ON m.id = d.objid JOIN rw_catalog.rw_schemas s ON s.id = m.schema_id WHERE s.name = $1 " +
        // What the project's views read in other schemas: the check behind spec.risingwave.readSchemas.
        "UNION ALL SELECT 'reads', d.objid::bigint, rs.name::varchar, r.name::varchar, NULL::bigint, d.refobjid::bigint " +
        "FROM rw_catalog.rw_depend d JOIN rw_catalog.rw_materialized_views m ON m.id = d.objid JOIN rw_catalog.rw_schemas s ON s.id = m.schema_id " +
        "JOIN rw_catalog.rw_relations r ON r.id = d.refobjid JOIN rw_catalog.rw_schemas rs ON rs.id = r.schema_id WHERE s.name = $1 AND rs.name <> $1";

    public static async Task<ActualSchema> ReadAsync(NpgsqlConnection connection, string schema, CancellationToken ct)
    {
        var rows = await RowsAsync(connection, CatalogSql, [schema], ct);
        if (!rows.Any(r => (string)r[0]! == "schema"))
        {
            return ActualSchema.Empty;
        }

        var columns = rows.Where(r => (string)r[0]! == "column")
            .Select(r => (Relation: Long(r[1]), Position: Long(r[4]), Column: new ActualColumn((string)r[2]!, (string)r[3]!)))
            .OrderBy(c => c.Relation).ThenBy(c => c.Position)
            .GroupBy(c => c.Relation)
            .ToDictionary(g => g.Key, g => (IReadOnlyList<ActualColumn>)[.. g.Select(c => c.Column)]);
        var tables = Relations(rows, "table", columns);
        var views = Relations(rows, "view", columns);
        var subscriptions = rows.Where(r => (string)r[0]! == "subscription")
            .ToDictionary(r => (string)r[2]!, r => new ActualSubscription((string)r[2]!, r[5] is null ? null : Long(r[5])), StringComparer.Ordinal);
        var viewNames = views.Values.ToDictionary(v => v.Id, v => v.Name);
        var tableNames = tables.Values.ToDictionary(t => t.Id, t => t.Name);
        // Views reading tables too: a CDC table that is recreated takes the views reading it along.
        var dependencies = rows.Where(r => (string)r[0]! == "depend")
            .Select(r => (Dependent: Long(r[1]), DependsOn: Long(r[5])))
            .Where(e => viewNames.ContainsKey(e.Dependent) && (viewNames.ContainsKey(e.DependsOn) || tableNames.ContainsKey(e.DependsOn)))
            .Select(e => (viewNames[e.Dependent], viewNames.TryGetValue(e.DependsOn, out var view) ? view : tableNames[e.DependsOn]))
            .Distinct().ToList();

        var reads = rows.Where(r => (string)r[0]! == "reads" && viewNames.ContainsKey(Long(r[1])))
            .Select(r => new ForeignRead(viewNames[Long(r[1])], (string)r[2]!, (string)r[3]!))
            .Distinct().ToList();

        var metadataExists = tables.ContainsKey(OwnedKinds.MetadataTable);
        var owned = new List<OwnedObject>();
        ProjectOwner? owner = null;
        var adopted = false;
        if (metadataExists)
        {
            foreach (var row in await RowsAsync(connection,
                         $"SELECT kind, name, spec_hash, owner_namespace, owner_name, owner_uid FROM {WaveletNames.Quote(schema)}.{OwnedKinds.MetadataTable}", [], ct))
            {
                var kind = (string)row[0]!;
                if (kind == OwnedKinds.Project)
                {
                    owner = new ProjectOwner((string?)row[3] ?? "", (string?)row[4] ?? "", (string?)row[5]);
                    adopted = (string?)row[2] == SchemaClaim.ExistingSchemaMarker;
                }
                else
                {
                    owned.Add(new OwnedObject(kind, (string)row[1]!, (string?)row[2] ?? ""));
                }
            }
        }

        tables.Remove(OwnedKinds.MetadataTable);
        var sources = rows.Where(r => (string)r[0]! == "source")
            .ToDictionary(r => (string)r[2]!, r => new ActualSource(Long(r[1]), (string)r[2]!), StringComparer.Ordinal);
        return new ActualSchema(true, metadataExists, owner, tables, views, subscriptions, owned, dependencies) { Sources = sources, SchemaAdopted = adopted, ForeignReads = reads };
    }

    private static Dictionary<string, ActualRelation> Relations(List<object?[]> rows, string kind, Dictionary<long, IReadOnlyList<ActualColumn>> columns) =>
        rows.Where(r => (string)r[0]! == kind)
            .Select(r => new ActualRelation(Long(r[1]), (string)r[2]!, columns.GetValueOrDefault(Long(r[1])) ?? []))
            .ToDictionary(r => r.Name, StringComparer.Ordinal);

    private static long Long(object? value) => Convert.ToInt64(value, System.Globalization.CultureInfo.InvariantCulture);

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
