using System.Collections.Concurrent;
using Wavelet.Bench.Measure;

namespace Wavelet.Bench.Soak;

/// <summary>
/// What every client of the soak saw, shared by all of them (Interlocked fields, updated on the receive loops). Write-to-client
/// latency is also kept apart for the time faults are being injected.
/// </summary>
public sealed class SoakCounters
{
#pragma warning disable CA1051 // counters incremented by reference from many receive loops
    public long Messages;
    public long Diffs;
    public long Connects;
    public long ResumeAttempts;
    public long DuplicateDiffs;
    public long DuplicateRows;
    public long DuplicateRowsChangedQuery;
    public long UnknownDeletes;
    public long ConnectionFailures;

    /// <summary>Incremented when the data plane process is replaced; clients note it at each connect.</summary>
    public volatile int Generation;
#pragma warning restore CA1051

    public ConcurrentDictionary<string, long> CloseCodes { get; } = new(StringComparer.Ordinal);

    public ConcurrentDictionary<string, long> FreshSnapshots { get; } = new(StringComparer.Ordinal);

    public LatencyHistogram AllLatency { get; } = new();

    public LatencyHistogram FaultLatency { get; } = new();

    /// <summary>The fault whose effects are being observed now (null between fault windows).</summary>
    public string? CurrentFault { get; set; }

    public void Closed(int? code) => CloseCodes.AddOrUpdate(code?.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? "none", 1, (_, n) => n + 1);

    /// <summary>Duplicates (diffs and rows) by the fault in progress when they arrived.</summary>
    public ConcurrentDictionary<string, long> DuplicatesByFault { get; } = new(StringComparer.Ordinal);

    public void FreshSnapshot(string queries, string reason)
    {
        FreshSnapshots.AddOrUpdate($"{queries}, {reason}", 1, (_, n) => n + 1);
        FreshByFault.AddOrUpdate($"{queries} during {CurrentFault ?? "no fault"}", 1, (_, n) => n + 1);
    }

    public ConcurrentDictionary<string, long> FreshByFault { get; } = new(StringComparer.Ordinal);

    public void Duplicate(string kind) => DuplicatesByFault.AddOrUpdate($"{kind} during {CurrentFault ?? "no fault"}", 1, (_, n) => n + 1);

    public void Latency(long micros)
    {
        AllLatency.Record(micros);
        if (CurrentFault is not null)
        {
            FaultLatency.Record(micros);
        }
    }
}
