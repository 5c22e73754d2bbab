using System.Security.Cryptography;
using System.Text;
using Wavelet.Api;
using Wavelet.Api.Validation;
using Wavelet.Api.V1Alpha1;

namespace Wavelet.Ddl;

public sealed record DesiredColumn(string Name, string Type)
{
    public string SqlType => ColumnTypes.ToSqlType(Type);

    public string CatalogType => RisingWaveTypes.CatalogName(Type);
}

public sealed record DesiredEvent(string Name, IReadOnlyList<DesiredColumn> Columns);

public sealed record DesiredQuery(string Name, string Sql, string SpecHash, string Subscription, Retention Retention, string? FilterBy);

public sealed record ProjectOwner(string Namespace, string Name, string? Uid)
{
    public override string ToString() => $"{Namespace}/{Name}";

    /// <summary>Same namespace and name, and the same uid when both know one (a recreated resource keeps its schema).</summary>
    public bool SameAs(ProjectOwner other) =>
        Namespace == other?.Namespace && Name == other.Name
        && (string.IsNullOrEmpty(Uid) || string.IsNullOrEmpty(other.Uid) || Uid == other.Uid);
}

/// <summary>What a WaveletProject wants in RisingWave, with identifiers validated and specs hashed.</summary>
public sealed record DesiredSchema(
    string Schema, ProjectOwner Owner, IReadOnlyList<DesiredEvent> Events, IReadOnlyList<DesiredQuery> Queries, bool AllowDestructiveChanges)
{
    /// <summary>CDC sources, created before the events and queries that may read their tables.</summary>
    public IReadOnlyList<DesiredSource> Sources { get; init; } = [];

    /// <summary>spec.risingwave.adoptExistingSchema: a non-empty schema Wavelet did not create may be used.</summary>
    public bool AdoptExistingSchema { get; init; }

    /// <summary>spec.risingwave.readSchemas: schemas besides its own the project's queries may read.</summary>
    public IReadOnlyList<string> ReadSchemas { get; init; } = [];

    public static DesiredSchema From(WaveletProject project) => From(project, SourceCredentials.None);

    public static DesiredSchema From(WaveletProject project, SourceCredentials credentials)
    {
        ArgumentNullException.ThrowIfNull(credentials);
        WaveletProjectValidator.EnsureValid(project);
        var owner = new ProjectOwner(project.Metadata.NamespaceProperty ?? "default", project.Metadata.Name ?? "", project.Metadata.Uid);
        var events = project.Spec.Events
            .Select(e => new DesiredEvent(e.Name, e.Columns.Select(c => new DesiredColumn(c.Name, c.Type)).ToList()))
            .ToList();
        var queries = project.Spec.Queries.Select(q =>
        {
            var sql = WaveletProjectDefaults.EffectiveSql(q);
            var retention = Retention.Parse(WaveletProjectDefaults.EffectiveRetention(project, q));
            return new DesiredQuery(q.Name, sql, Hash(sql), WaveletProjectDefaults.SubscriptionName(q), retention, q.FilterBy);
        }).ToList();
        return new DesiredSchema(WaveletProjectDefaults.EffectiveSchema(project), owner, events, queries,
            WaveletProjectDefaults.EffectiveAllowDestructiveChanges(project))
        {
            Sources = project.Spec.Sources.Select(s => DesiredSource.From(project, s, credentials)).ToList(),
            AdoptExistingSchema = WaveletProjectDefaults.EffectiveAdoptExistingSchema(project),
            ReadSchemas = project.Spec.Risingwave.ReadSchemas ?? [],
        };
    }

    /// <summary>
    /// Only what dropping needs (schema and owner), so a project whose spec became invalid can still be deleted: the
    /// objects to drop come from the schema's metadata table, not from the spec. Null when the schema name itself is
    /// not one Wavelet could ever have created objects in.
    /// </summary>
    public static DesiredSchema? ForDrop(WaveletProject project)
    {
        ArgumentNullException.ThrowIfNull(project);
        var schema = WaveletProjectDefaults.EffectiveSchema(project);
        if (!WaveletNames.IsValidIdentifier(schema) || WaveletNames.IsSystemSchema(schema))
        {
            return null;
        }

        var owner = new ProjectOwner(project.Metadata.NamespaceProperty ?? "default", project.Metadata.Name ?? "", project.Metadata.Uid);
        return new DesiredSchema(schema, owner, [], [], AllowDestructiveChanges: true);
    }

    /// <summary>Hash of an MV's SQL: RisingWave re-renders definitions, so the text it reports cannot be compared.</summary>
    public static string Hash(string sql) =>
        Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(sql.Trim())))[..32];
}
