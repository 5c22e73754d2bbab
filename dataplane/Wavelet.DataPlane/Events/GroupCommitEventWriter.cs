using Npgsql;

namespace Wavelet.DataPlane.Events;

/// <summary>
/// Group commit for single-event writes: concurrent one-row inserts into the same table wait while an insert into it is
/// in flight, then go together as one multi-row INSERT. Each request is acknowledged only after the statement holding
/// its row committed. When the database rejects a group (a PostgreSQL error: the statement committed nothing), each row
/// is retried alone so one bad row fails only its own request; any other failure (connection lost, timeout) fails every
/// request of the group with that error, since its outcome is unknown. Multi-row writes go straight through.
/// </summary>
public sealed class GroupCommitEventWriter : IEventWriter, IAsyncDisposable
{
    // PostgreSQL takes at most 65,535 parameters per statement; a group also stays small enough to keep latency low.
    private const int MaxParameters = 65_535;
    private const int MaxGroupRows = 1_000;
    private readonly IEventWriter _inner;
    private readonly Lock _gate = new();
    private readonly Dictionary<string, Table> _tables = new(StringComparer.Ordinal);

    public GroupCommitEventWriter(IEventWriter inner) => _inner = inner;

    public async Task InsertAsync(string schema, string table, IReadOnlyList<TypedColumn> columns, IReadOnlyList<object?[]> rows, CancellationToken ct)
    {
        if (rows.Count != 1)
        {
            await _inner.InsertAsync(schema, table, columns, rows, ct);
            return;
        }

        var pending = new PendingRow(rows[0]);
        var key = string.Join('\u001f', [schema, table, .. columns.Select(c => c.Name + ":" + c.Type)]);
        bool lead;
        Table target;
        lock (_gate)
        {
            if (!_tables.TryGetValue(key, out target!))
            {
                target = new Table(schema, table, columns);
                _tables[key] = target;
            }

            target.Waiting.Add(pending);
            lead = !target.Writing;
            target.Writing = true;
        }

        if (lead)
        {
            // The first writer of an idle table writes groups until nobody waits; it does not wait for its caller's
            // token, since other requests' rows ride in the same statement.
            _ = Task.Run(() => WriteGroupsAsync(target), CancellationToken.None);
        }

        await pending.Done.Task.WaitAsync(ct);
    }

    public async ValueTask DisposeAsync()
    {
        if (_inner is IAsyncDisposable disposable)
        {
            await disposable.DisposeAsync();
        }
    }

    private async Task WriteGroupsAsync(Table target)
    {
        var maxRows = Math.Min(MaxGroupRows, MaxParameters / Math.Max(1, target.Columns.Count));
        while (true)
        {
            List<PendingRow> group;
            lock (_gate)
            {
                if (target.Waiting.Count == 0)
                {
                    target.Writing = false;
                    return;
                }

                var take = Math.Min(maxRows, target.Waiting.Count);
                group = target.Waiting.GetRange(0, take);
                target.Waiting.RemoveRange(0, take);
            }

            await WriteGroupAsync(target, group);
        }
    }

    private async Task WriteGroupAsync(Table target, List<PendingRow> group)
    {
        try
        {
            await _inner.InsertAsync(target.Schema, target.Name, target.Columns, [.. group.Select(p => p.Row)], CancellationToken.None);
            group.ForEach(p => p.Done.TrySetResult());
            return;
        }
        catch (PostgresException) when (group.Count > 1)
        {
            // Rejected by the server: nothing of the group committed, so each row can be tried alone.
        }
#pragma warning disable CA1031 // handed to each waiting request, which rethrows it to its caller
        catch (Exception e)
#pragma warning restore CA1031
        {
            group.ForEach(p => p.Done.TrySetException(e));
            return;
        }

        foreach (var pending in group)
        {
            try
            {
                await _inner.InsertAsync(target.Schema, target.Name, target.Columns, [pending.Row], CancellationToken.None);
                pending.Done.TrySetResult();
            }
#pragma warning disable CA1031 // handed to the waiting request, which rethrows it to its caller
            catch (Exception e)
#pragma warning restore CA1031
            {
                pending.Done.TrySetException(e);
            }
        }
    }

    private sealed class Table(string schema, string name, IReadOnlyList<TypedColumn> columns)
    {
        public string Schema { get; } = schema;

        public string Name { get; } = name;

        public IReadOnlyList<TypedColumn> Columns { get; } = columns;

        public List<PendingRow> Waiting { get; } = [];

        public bool Writing { get; set; }
    }

    private sealed class PendingRow(object?[] row)
    {
        public object?[] Row { get; } = row;

        public TaskCompletionSource Done { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
    }
}
