namespace Wavelet.Api.V1Alpha1;

public sealed class WaveletProjectSpec
{
    /// <summary>Where the project's schema lives.</summary>
    public RisingWaveSpec Risingwave { get; set; } = new();

    /// <summary>Event streams clients write to; each becomes a table.</summary>
    public List<EventSpec> Events { get; set; } = [];

    /// <summary>Live queries; each becomes a materialized view with a subscription.</summary>
    public List<QuerySpec> Queries { get; set; } = [];

    public AuthSpec? Auth { get; set; }

    public DataPlaneSpec? DataPlane { get; set; }

    public DdlSpec? Ddl { get; set; }

    /// <summary>Retain (default) keeps RisingWave objects when the resource is deleted; Delete drops them.</summary>
    public string? DeletionPolicy { get; set; }

    /// <summary>When true the operator stops reconciling and scales the data plane to zero.</summary>
    public bool? Suspend { get; set; }
}

public static class DeletionPolicies
{
    public const string Retain = "Retain";
    public const string Delete = "Delete";
    public static readonly IReadOnlyList<string> All = [Retain, Delete];
}
