namespace Wavelet.Api.V1Alpha1;

[CelRule("!has(self.events) || !has(self.queries) || self.events.all(e, !self.queries.exists(q, q.name == e.name))", "event and query names must be distinct: an event and a query share a name", FieldPath = ".queries")]
[CelRule("!has(self.queries) || ((!has(self.events) || self.events.all(e, !self.queries.exists(q, e.name == 'wavelet_sub_' + q.name))) && self.queries.all(a, !self.queries.exists(q, a.name == 'wavelet_sub_' + q.name)))", "a name collides with a query's subscription (wavelet_sub_<query>)", FieldPath = ".queries")]
[CelRule("!has(self.queries) || !self.queries.exists(q, has(q.filterBy)) || (has(self.auth) && has(self.auth.jwt))", "filterBy needs spec.auth.jwt: clients are filtered by a claim of their token", FieldPath = ".queries")]
public sealed class WaveletProjectSpec
{
    /// <summary>Where the project's schema lives.</summary>
    [Required]
    [Description("The RisingWave cluster and schema the project's DDL goes to.")]
    public RisingWaveSpec Risingwave { get; set; } = new();

    /// <summary>Event streams clients write to; each becomes a table.</summary>
    [MaxLength(WaveletLimits.MaxEvents), ListMapKeys("name")]
    [Description("Event streams clients write to over HTTP; each becomes a table in the project's schema.")]
    public List<EventSpec> Events { get; set; } = [];

    /// <summary>Live queries; each becomes a materialized view with a subscription.</summary>
    [MaxLength(WaveletLimits.MaxQueries), ListMapKeys("name")]
    [Description("Live queries; each becomes a materialized view with a subscription, served to clients over WebSocket and HTTP.")]
    public List<QuerySpec> Queries { get; set; } = [];

    /// <summary>External databases whose tables are replicated into the schema (change data capture).</summary>
    [MaxLength(WaveletLimits.MaxSources), ListMapKeys("name")]
    [Description("Change-data-capture sources: PostgreSQL databases whose tables RisingWave replicates into the project's schema, for queries to read like events.")]
    public List<SourceSpec> Sources { get; set; } = [];

    [Description("Client authentication for the data plane.")]
    public AuthSpec? Auth { get; set; }

    [Description("How the data-plane pods run.")]
    public DataPlaneSpec? DataPlane { get; set; }

    [Description("How schema changes are applied to RisingWave.")]
    public DdlSpec? Ddl { get; set; }

    /// <summary>Retain (default) keeps RisingWave objects when the resource is deleted; Delete drops them.</summary>
    [AllowedValues(DeletionPolicies.Retain, DeletionPolicies.Delete)]
    [Description("What happens to the project's RisingWave objects when the WaveletProject is deleted: Retain (default) keeps them, Delete drops the schema's tables, views and subscriptions.")]
    public string? DeletionPolicy { get; set; }

    /// <summary>When true the operator stops reconciling and scales the data plane to zero.</summary>
    [Description("When true the operator stops applying DDL and scales the data plane to zero; RisingWave objects are kept. Default: false.")]
    public bool? Suspend { get; set; }
}

public static class DeletionPolicies
{
    public const string Retain = "Retain";
    public const string Delete = "Delete";
    public static readonly IReadOnlyList<string> All = [Retain, Delete];
}
