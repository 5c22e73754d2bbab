using Wavelet.Api;

namespace Wavelet.Ddl;

/// <summary>
/// Whether a project may take a schema. A schema is the project's when its metadata table holds the project's row;
/// a schema of another project is refused, and so is an existing schema that holds objects Wavelet did not create,
/// unless the project says it adopts it (then those objects are never recorded as the project's, so never dropped).
/// </summary>
public static class SchemaClaim
{
    /// <summary>The project row's spec_hash when the schema existed before the claim: the schema is not Wavelet's to drop.</summary>
    public const string ExistingSchemaMarker = "existing-schema";

    public static void EnsureClaimable(DesiredSchema desired, ActualSchema actual)
    {
        ArgumentNullException.ThrowIfNull(desired);
        ArgumentNullException.ThrowIfNull(actual);
        if (actual.Owner is { } owner && !owner.SameAs(desired.Owner))
        {
            throw new DdlException(DdlFailureReason.SchemaOwnedElsewhere,
                $"schema {desired.Schema} is already managed by {owner}",
                $"choose another schema in spec.risingwave.schema, or delete the WaveletProject {owner} first");
        }

        if (actual.SchemaExists && !actual.MetadataExists && !desired.AdoptExistingSchema && Foreign(actual) is { Count: > 0 } foreign)
        {
            throw new DdlException(DdlFailureReason.SchemaNotEmpty,
                $"schema {desired.Schema} already exists and holds objects Wavelet did not create ({string.Join(", ", foreign.Take(10))})",
                "choose another schema in spec.risingwave.schema, or set spec.risingwave.adoptExistingSchema: true to use it; adopted objects are never dropped by Wavelet");
        }
    }

    /// <summary>The statements that claim a schema nobody owns yet; the metadata table is created without IF NOT EXISTS, so of two claims at once one fails.</summary>
    public static IReadOnlyList<DdlStep> Steps(DesiredSchema desired, ActualSchema actual)
    {
        ArgumentNullException.ThrowIfNull(desired);
        ArgumentNullException.ThrowIfNull(actual);
        var schema = WaveletNames.Quote(desired.Schema);
        var steps = new List<DdlStep>();
        if (!actual.SchemaExists)
        {
            steps.Add(new DdlStep($"CREATE SCHEMA IF NOT EXISTS {schema}"));
        }

        if (!actual.MetadataExists)
        {
            steps.Add(new DdlStep(CreateMetadataTable(schema, ifNotExists: false)));
        }

        steps.Add(new DdlStep(
            $"INSERT INTO {schema}.{OwnedKinds.MetadataTable} (kind, name, spec_hash, owner_namespace, owner_name, owner_uid, applied_at) VALUES ($1, $2, $3, $4, $5, $6, now())",
            [OwnedKinds.Project, "", actual.SchemaExists && !actual.MetadataExists ? ExistingSchemaMarker : "", desired.Owner.Namespace, desired.Owner.Name, desired.Owner.Uid ?? ""]));
        return steps;
    }

    public static string CreateMetadataTable(string quotedSchema, bool ifNotExists) =>
        $"CREATE TABLE {(ifNotExists ? "IF NOT EXISTS " : "")}{quotedSchema}.{OwnedKinds.MetadataTable} (kind VARCHAR, name VARCHAR, spec_hash VARCHAR, " +
        "owner_namespace VARCHAR, owner_name VARCHAR, owner_uid VARCHAR, applied_at TIMESTAMPTZ, PRIMARY KEY (kind, name))";

    private static List<string> Foreign(ActualSchema actual) =>
        [.. actual.Tables.Keys.Select(t => $"table {t}"), .. actual.MaterializedViews.Keys.Select(v => $"materialized view {v}"),
            .. actual.Subscriptions.Keys.Select(s => $"subscription {s}")];
}
