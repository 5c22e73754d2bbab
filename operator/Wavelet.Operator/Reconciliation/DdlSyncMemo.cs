using System.Collections.Concurrent;
using System.Security.Cryptography;
using System.Text;
using Wavelet.Api.Serialization;
using Wavelet.Api.V1Alpha1;
using Wavelet.Ddl;
using Wavelet.Operator.Children;

namespace Wavelet.Operator.Reconciliation;

/// <summary>
/// The last successful DDL sync of each project with the inputs it was made for (uid, generation, spec hash, hash of the
/// database URL and the CDC source passwords). A child-only pass reuses it instead of opening a RisingWave session; a full pass (spec change, resync, retry)
/// always syncs and replaces it. Lives in memory: a restarted operator starts with full passes.
/// </summary>
public sealed class DdlSyncMemo
{
    private readonly ConcurrentDictionary<string, Entry> _entries = new(StringComparer.Ordinal);

    public void Remember(WaveletProject project, ResolvedSecrets secrets, DdlSyncResult sync) =>
        _entries[Key(project)] = new Entry(Fingerprint(project, secrets), sync);

    /// <summary>The remembered sync when the project's DDL inputs are still the ones it was made for, else null.</summary>
    public DdlSyncResult? Recall(WaveletProject project, ResolvedSecrets secrets) =>
        _entries.TryGetValue(Key(project), out var entry) && entry.Fingerprint == Fingerprint(project, secrets) ? entry.Sync : null;

    public void Forget(WaveletProject project) => _entries.TryRemove(Key(project), out _);

    private static string Key(WaveletProject project) => $"{project.Metadata.NamespaceProperty}/{project.Metadata.Name}";

    private static string Fingerprint(WaveletProject project, ResolvedSecrets secrets)
    {
        var spec = Hash(KubernetesJson.Serialize(project.Spec));
        var credentials = Hash(string.Join('\n', [secrets.DatabaseUrl, .. secrets.SourcePasswords.OrderBy(p => p.Key, StringComparer.Ordinal).Select(p => $"{p.Key}={p.Value}")]));
        return $"{project.Metadata.Uid}|{project.Metadata.Generation}|{spec}|{credentials}";
    }

    // Hashes, so that the memo holds no credential.
    private static string Hash(string text) => Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(text)));

    private sealed record Entry(string Fingerprint, DdlSyncResult Sync);
}
