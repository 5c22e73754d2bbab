namespace Wavelet.Ddl;

/// <summary>Kinds of rows in the project's metadata table.</summary>
public static class OwnedKinds
{
    public const string MetadataTable = "_wavelet_objects";
    public const string Project = "project";
    public const string Event = "event";
    public const string Query = "query";
    public const string Source = "source";
    public const string CdcTable = "cdc_table";
}
