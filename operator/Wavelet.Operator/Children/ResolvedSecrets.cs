namespace Wavelet.Operator.Children;

/// <summary>What the operator read from the Secrets a project references: the database URL (for DDL only) and each Secret's resourceVersion.</summary>
public sealed record ResolvedSecrets(string DatabaseUrl, IReadOnlyDictionary<string, string> ResourceVersions)
{
    /// <summary>Each CDC source's password by source name, for DDL only; never rendered into a child object.</summary>
    public IReadOnlyDictionary<string, string> SourcePasswords { get; init; } = new Dictionary<string, string>();

    public override string ToString() => $"ResolvedSecrets {{ ResourceVersions = {ResourceVersions.Count}, Sources = {string.Join(", ", SourcePasswords.Keys)} }}";
}
