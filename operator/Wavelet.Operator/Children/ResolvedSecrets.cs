namespace Wavelet.Operator.Children;

/// <summary>What the operator read from the Secrets a project references: the database URL (for DDL only) and each Secret's resourceVersion.</summary>
public sealed record ResolvedSecrets(string DatabaseUrl, IReadOnlyDictionary<string, string> ResourceVersions);
