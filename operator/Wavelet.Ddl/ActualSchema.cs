namespace Wavelet.Ddl;

public sealed record ActualColumn(string Name, string Type);

public sealed record ActualRelation(long Id, string Name, IReadOnlyList<ActualColumn> Columns);

public sealed record ActualSource(long Id, string Name);

public sealed record ActualSubscription(string Name, long? RetentionSeconds);

/// <summary>A relation in another schema that one of the project's views reads.</summary>
public sealed record ForeignRead(string View, string Schema, string Relation);

/// <summary>A row of the project's metadata table: an object this project created, and the spec hash it came from.</summary>
public sealed record OwnedObject(string Kind, string Name, string SpecHash);

/// <summary>What exists in the project's schema, read from rw_catalog and the metadata table. Nothing outside it is read.</summary>
public sealed record ActualSchema(
    bool SchemaExists,
    bool MetadataExists,
    ProjectOwner? Owner,
    IReadOnlyDictionary<string, ActualRelation> Tables,
    IReadOnlyDictionary<string, ActualRelation> MaterializedViews,
    IReadOnlyDictionary<string, ActualSubscription> Subscriptions,
    IReadOnlyList<OwnedObject> Owned,
    IReadOnlyList<(string Dependent, string DependsOn)> ViewDependencies)
{
    public static readonly ActualSchema Empty = new(false, false, null,
        new Dictionary<string, ActualRelation>(), new Dictionary<string, ActualRelation>(), new Dictionary<string, ActualSubscription>(), [], []);

    /// <summary>The schema's sources (CDC), by name.</summary>
    public IReadOnlyDictionary<string, ActualSource> Sources { get; init; } = new Dictionary<string, ActualSource>();
    /// <summary>The schema existed before the project claimed it: Wavelet never drops it.</summary>
    public bool SchemaAdopted { get; init; }

    /// <summary>Relations in other schemas the schema's views read (from rw_depend).</summary>
    public IReadOnlyList<ForeignRead> ForeignReads { get; init; } = [];

    public OwnedObject? FindOwned(string kind, string name) => Owned.FirstOrDefault(o => o.Kind == kind && o.Name == name);
}
