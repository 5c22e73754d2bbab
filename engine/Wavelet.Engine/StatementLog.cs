using System.Collections.Concurrent;

namespace Wavelet.Engine;

public sealed record StatementLogEntry(int SessionId, string Sql, DateTimeOffset At);

/// <summary>Every statement clients sent to the simulator, so tests can assert how many queries a code path issued.</summary>
public sealed class StatementLog
{
    private readonly ConcurrentQueue<StatementLogEntry> _entries = new();

    internal void Add(StatementLogEntry entry) => _entries.Enqueue(entry);

    public IReadOnlyList<StatementLogEntry> Snapshot() => [.. _entries];

    public int Count(Func<StatementLogEntry, bool>? where = null) => where is null ? _entries.Count : _entries.Count(where);

    public void Clear() => _entries.Clear();
}
