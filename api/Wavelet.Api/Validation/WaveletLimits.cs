namespace Wavelet.Api.Validation;

/// <summary>Upper bounds shared by the C# validator and the CRD schema (the bounds also keep the CRD's CEL rules cheap).</summary>
public static class WaveletLimits
{
    public const int MaxEvents = 100;
    public const int MaxSources = 20;
    public const int MaxSourceTables = 100;
    public const int MaxHostLength = 253;
    public const int MaxReadSchemas = 20;
    public const int MaxQueries = 100;
    public const int MaxColumns = 200;
    public const int MaxSqlLength = 65536;
    public const int MaxUrlLength = 2048;
    public const int MaxClaimLength = 256;
    public const int MaxReplicas = 100;
    public const int MaxResourceNameLength = 253;
    public const int MaxConnectionCap = 1_000_000;
    public const int MaxWriteRate = 1_000_000;
    public const int MaxClockSkewSeconds = 300;
}
