using System.Net.Sockets;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Npgsql;
using Wavelet.Api;
using Wavelet.Api.V1Alpha1;

namespace Wavelet.Ddl;

/// <summary>
/// Syncs a WaveletProject's events and queries into its own RisingWave schema: plan the minimal change, apply it
/// statement by statement, record what was created in the schema's metadata table, and report the resulting columns.
/// </summary>
public sealed class DdlManager : IAsyncDisposable
{
    private readonly ILogger _logger;
    private NpgsqlDataSource? _dataSource;
    private bool _ownsDataSource;
    private NpgsqlConnection? _connection;

    public DdlManager(ILogger<DdlManager>? logger = null) => _logger = (ILogger?)logger ?? NullLogger.Instance;

    /// <summary>Whether RisingWave accepts ALTER SUBSCRIPTION ... SET (retention); otherwise retention changes recreate it.</summary>
    public bool SupportsAlterSubscriptionRetention { get; init; } = true;

    /// <summary>Connects with a private, unpooled data source (the ddl command line and tests).</summary>
    public async Task ConnectAsync(string connectionString, CancellationToken ct = default)
    {
        await CloseAsync();
        var builder = new NpgsqlDataSourceBuilder(connectionString);
        builder.ConnectionStringBuilder.Pooling = false;
        _dataSource = BuildDataSource(builder);
        _ownsDataSource = true;
        await OpenAsync(ct);
    }

    /// <summary>Borrows a connection from a shared (pooled) data source built by <see cref="BuildDataSource"/>; disposing returns it.</summary>
    public async Task ConnectAsync(NpgsqlDataSource dataSource, CancellationToken ct = default)
    {
        await CloseAsync();
        _dataSource = dataSource;
        _ownsDataSource = false;
        await OpenAsync(ct);
    }

    /// <summary>
    /// A data source for DDL sessions: no type loading (RisingWave's catalog differs from PostgreSQL's) and no DISCARD ALL
    /// when a pooled connection is returned (DDL sessions leave no state behind that the next one must not see).
    /// </summary>
    public static NpgsqlDataSource BuildDataSource(NpgsqlDataSourceBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder.ConnectionStringBuilder.NoResetOnClose = true;
        builder.ConfigureTypeLoading(t => t.EnableTypeLoading(false));
        return builder.Build();
    }

    private async Task OpenAsync(CancellationToken ct)
    {
        try
        {
            _connection = await _dataSource!.OpenConnectionAsync(ct);
        }
        catch (Exception e) when (e is NpgsqlException or SocketException or TimeoutException)
        {
            await CloseAsync();
            throw new DdlException(DdlFailureReason.RisingWaveUnreachable, $"cannot connect to RisingWave: {e.Message}",
                "check the URL in the connection Secret (host, port 4566, user, password) and that RisingWave is running and reachable", inner: e);
        }
    }

    /// <summary>The ordered actions a sync would take; runs nothing but catalog reads.</summary>
    public async Task<DdlPlan> PlanAsync(WaveletProject project, CancellationToken ct = default)
    {
        var desired = DesiredSchema.From(project, SourceCredentials.Redacted);
        var actual = await ReadAsync(desired.Schema, ct);
        return DdlPlanner.Plan(desired, actual, SupportsAlterSubscriptionRetention);
    }

    public Task<DdlSyncResult> SyncAsync(WaveletProject project, CancellationToken ct = default) =>
        SyncAsync(project, SourceCredentials.None, ct);

    /// <summary>Syncs with the passwords of the project's CDC sources (needed only to create a source).</summary>
    public async Task<DdlSyncResult> SyncAsync(WaveletProject project, SourceCredentials credentials, CancellationToken ct = default)
    {
        var desired = DesiredSchema.From(project, credentials);
        var actual = await ReadAsync(desired.Schema, ct);
        if (actual.Owner is null)
        {
            actual = await ClaimAsync(desired, actual, ct);
        }

        var plan = DdlPlanner.Plan(desired, actual, SupportsAlterSubscriptionRetention);
        await ApplyAsync(plan.Steps, ct);

        foreach (var action in plan.Actions.Where(a => a.Type != DdlActionTypes.Unchanged))
        {
            _logger.DdlApplied(action.Type, action.Resource, action.Name, desired.Schema, action.Detail);
        }

        // The catalog read before planning already holds every view's columns; only a sync that changed something reads again.
        var after = plan.Steps.Count == 0 ? actual : await ReadAsync(desired.Schema, ct);
        await RefuseForeignReadsAsync(desired, after, ct);
        var queries = new List<SyncedQuery>();
        var blocked = plan.Blocked.Where(a => a.Resource == DdlResources.Query).Select(a => a.Name).ToHashSet(StringComparer.Ordinal);
        foreach (var query in desired.Queries.Where(q => !blocked.Contains(q.Name)))
        {
            var columns = after.MaterializedViews.TryGetValue(query.Name, out var view) ? view.Columns : [];
            if (query.FilterBy is { } filterBy && columns.All(c => c.Name != filterBy))
            {
                throw new DdlException(DdlFailureReason.FilterColumnMissing,
                    $"query {query.Name}: filterBy column \"{filterBy}\" is not a column of its result (columns: {string.Join(", ", columns.Select(c => c.Name))})",
                    "set filterBy to one of those columns, or make the query's SELECT return it; a filter on a missing column would show every tenant's rows");
            }

            queries.Add(new SyncedQuery(query.Name, query.Subscription, query.SpecHash, columns));
        }

        return new DdlSyncResult(desired.Schema, plan.Actions, queries, plan.Steps.Count);
    }

    /// <summary>
    /// The columns of the project's queries as the database reports them now, changing nothing. A query whose view is
    /// missing, or was created from other SQL than the project's, is listed in <see cref="QueryColumns.Stale"/> instead.
    /// </summary>
    public async Task<QueryColumns> DescribeAsync(WaveletProject project, CancellationToken ct = default)
    {
        var desired = DesiredSchema.From(project);
        var actual = await ReadAsync(desired.Schema, ct);
        var current = new List<SyncedQuery>();
        var stale = new List<string>();
        foreach (var query in desired.Queries)
        {
            var owned = actual.FindOwned(OwnedKinds.Query, query.Name);
            if (actual.MaterializedViews.TryGetValue(query.Name, out var view) && owned?.SpecHash == query.SpecHash)
            {
                current.Add(new SyncedQuery(query.Name, query.Subscription, query.SpecHash, view.Columns));
            }
            else
            {
                stale.Add(query.Name);
            }
        }

        return new QueryColumns(current, stale);
    }

    /// <summary>Drops everything this project recorded in its schema (subscriptions, views, tables), then the schema if empty.</summary>
    public Task<IReadOnlyList<DdlAction>> DropAsync(WaveletProject project, CancellationToken ct = default) =>
        DropAsync(project, SourceCredentials.None, ct);

    /// <summary>
    /// Drops everything the project recorded, as <see cref="DropAsync(WaveletProject, CancellationToken)"/>; with the
    /// sources' passwords it then makes sure no replication slot of theirs is left on the source databases.
    /// </summary>
    public async Task<IReadOnlyList<DdlAction>> DropAsync(WaveletProject project, SourceCredentials credentials, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(credentials);
        var actions = await DropSchemaObjectsAsync(project, ct);
        // Sources whose slot name is invalid were never created (the spec was refused before any DDL ran).
        foreach (var source in project.Spec.Sources.Where(s => s.Connection is not null && SourceNames.IsValidSlot(WaveletProjectDefaults.EffectiveSlotName(project, s))))
        {
            await SourceSlots.DropLeftoverAsync(DesiredSource.From(project, source, credentials), ct);
        }

        return actions;
    }

    private async Task<IReadOnlyList<DdlAction>> DropSchemaObjectsAsync(WaveletProject project, CancellationToken ct)
    {
        if (DesiredSchema.ForDrop(project) is not { } desired)
        {
            return [];
        }

        var actual = await ReadAsync(desired.Schema, ct);
        if (!actual.SchemaExists || actual.Owner is null)
        {
            return [];
        }

        var plan = DdlPlanner.Plan(desired, actual, SupportsAlterSubscriptionRetention);
        await ApplyAsync(plan.Steps, ct);

        var remaining = await ReadAsync(desired.Schema, ct);
        if (!actual.SchemaAdopted && remaining.Tables.Count == 0 && remaining.MaterializedViews.Count == 0 && remaining.Subscriptions.Count == 0 && remaining.Sources.Count == 0)
        {
            await ExecuteAsync(new DdlStep($"DROP TABLE {Api.WaveletNames.Quote(desired.Schema)}.{OwnedKinds.MetadataTable}"), ct);
            await ExecuteAsync(new DdlStep($"DROP SCHEMA {Api.WaveletNames.Quote(desired.Schema)}"), ct);
        }

        return plan.Actions;
    }

    /// <summary>
    /// Takes a schema no project owns: the claim row is written and flushed before anything else, then read back. Of
    /// two projects claiming at once, one fails to create the metadata table (or to insert, or reads back the other's
    /// row): it gets <see cref="DdlFailureReason.SchemaClaimConflict"/> and, on retry, SchemaOwnedElsewhere.
    /// </summary>
    private async Task<ActualSchema> ClaimAsync(DesiredSchema desired, ActualSchema actual, CancellationToken ct)
    {
        SchemaClaim.EnsureClaimable(desired, actual);
        try
        {
            foreach (var step in SchemaClaim.Steps(desired, actual))
            {
                await ExecuteAsync(step, ct);
            }

            await ExecuteAsync(new DdlStep("FLUSH"), ct);
        }
        catch (DdlException e) when (e.Reason == DdlFailureReason.DdlFailed)
        {
            var now = await ReadAsync(desired.Schema, ct);
            var appeared = now.MetadataExists || (now.SchemaExists && !actual.SchemaExists);
            if (appeared && now.Owner?.SameAs(desired.Owner) != true)
            {
                throw ClaimConflict(desired, now, e);
            }

            throw;
        }

        var claimed = await ReadAsync(desired.Schema, ct);
        if (claimed.Owner?.SameAs(desired.Owner) != true)
        {
            throw ClaimConflict(desired, claimed, null);
        }

        _logger.SchemaClaimed(desired.Schema, desired.Owner, claimed.SchemaAdopted);
        return claimed;
    }

    /// <summary>
    /// A query whose view reads a schema the project may not read is dropped again (its view would hold a copy of that
    /// data in the project's schema) before anything is exposed, and the sync fails with ReadOutsideSchema.
    /// </summary>
    private async Task RefuseForeignReadsAsync(DesiredSchema desired, ActualSchema after, CancellationToken ct)
    {
        var allowed = desired.ReadSchemas.ToHashSet(StringComparer.Ordinal);
        var queries = desired.Queries.Select(q => q.Name).ToHashSet(StringComparer.Ordinal);
        var refused = after.ForeignReads.Where(r => queries.Contains(r.View) && !allowed.Contains(r.Schema)).ToList();
        if (refused.Count == 0)
        {
            return;
        }

        var schema = Api.WaveletNames.Quote(desired.Schema);
        var steps = new List<DdlStep>();
        foreach (var view in refused.Select(r => r.View).Distinct(StringComparer.Ordinal))
        {
            var subscription = desired.Queries.First(q => q.Name == view).Subscription;
            steps.Add(new DdlStep($"DROP SUBSCRIPTION IF EXISTS {schema}.{Api.WaveletNames.Quote(subscription)}"));
            steps.Add(new DdlStep($"DROP MATERIALIZED VIEW {schema}.{Api.WaveletNames.Quote(view)}"));
            steps.Add(new DdlStep($"DELETE FROM {schema}.{OwnedKinds.MetadataTable} WHERE kind = $1 AND name = $2", [OwnedKinds.Query, view]));
        }

        await ApplyAsync(steps, ct);
        var what = string.Join("; ", refused.GroupBy(r => r.View).Select(g => $"query {g.Key} reads {string.Join(", ", g.Select(r => $"{r.Schema}.{r.Relation}"))}"));
        throw new DdlException(DdlFailureReason.ReadOutsideSchema,
            $"{what}, outside schema {desired.Schema}; the view was dropped again and is not served",
            "read only the project's schema, or list the other schema in spec.risingwave.readSchemas (and grant the project's RisingWave user SELECT on it)");
    }

    private static DdlException ClaimConflict(DesiredSchema desired, ActualSchema now, Exception? inner) =>
        new(DdlFailureReason.SchemaClaimConflict,
            $"schema {desired.Schema} was claimed by {(now.Owner is { } other ? other.ToString() : "another project")} at the same time as this project",
            $"two projects name the same schema; give one of them another spec.risingwave.schema (the first claim keeps it)", inner: inner);

    public async Task CloseAsync()
    {
        if (_connection is not null)
        {
            await _connection.DisposeAsync();
            _connection = null;
        }

        if (_dataSource is not null && _ownsDataSource)
        {
            await _dataSource.DisposeAsync();
        }

        _dataSource = null;
    }

    public ValueTask DisposeAsync() => new(CloseAsync());

    private NpgsqlConnection Connection =>
        _connection ?? throw new InvalidOperationException("DdlManager is not connected; call ConnectAsync first.");

    private async Task<ActualSchema> ReadAsync(string schema, CancellationToken ct)
    {
        // Npgsql closes the connection after RisingWave's internal errors (SQLSTATE XX000): reopen before the next sync.
        if (_connection is { State: System.Data.ConnectionState.Closed or System.Data.ConnectionState.Broken } && _dataSource is not null)
        {
            await _connection.DisposeAsync();
            await OpenAsync(ct);
        }

        return await Guard(() => RisingWaveCatalogReader.ReadAsync(Connection, schema, ct), null);
    }

    /// <summary>
    /// Runs the steps in order, then one FLUSH if any wrote metadata rows, so the next sync reads them. One flush per sync,
    /// not one per row (RW_IMPLICIT_FLUSH): each flush waits for a RisingWave barrier, and a new project writes ~8 rows.
    /// The flush runs after a failed step too, so the rows of what was applied are visible to the retry.
    /// </summary>
    private async Task ApplyAsync(IReadOnlyList<DdlStep> steps, CancellationToken ct)
    {
        var wroteRows = false;
        try
        {
            foreach (var step in steps)
            {
                wroteRows |= step.WritesRows;
                await ExecuteAsync(step, ct);
            }
        }
        catch (DdlException) when (wroteRows && _connection is { State: System.Data.ConnectionState.Open })
        {
            await TryFlushAsync(ct);
            throw;
        }

        if (wroteRows)
        {
            await ExecuteAsync(new DdlStep("FLUSH"), ct);
        }
    }

    private async Task TryFlushAsync(CancellationToken ct)
    {
        try
        {
            await ExecuteAsync(new DdlStep("FLUSH"), ct);
        }
        catch (DdlException e)
        {
            _logger.FlushAfterFailureFailed(e.Message);
        }
    }

    private async Task ExecuteAsync(DdlStep step, CancellationToken ct)
    {
        await Guard(async () =>
        {
            await SingleStatementCommand.ExecuteAsync(Connection, step.Sql, step.Parameters, ct);
            return true;
        }, step.Display);
    }

    /// <summary>Turns database errors into DdlExceptions that carry RisingWave's text, the statement and a hint.</summary>
    private static async Task<T> Guard<T>(Func<Task<T>> action, string? statement)
    {
        try
        {
            return await action();
        }
        catch (PostgresException e)
        {
            if (statement is not null && SourceFailures.Classify(statement, e.MessageText) is { } source)
            {
                throw new DdlException(source.Reason, $"RisingWave refused the statement: {e.MessageText}", source.Hint, statement, e.SqlState, e);
            }

            throw new DdlException(DdlFailureReason.DdlFailed, $"RisingWave refused the statement: {e.MessageText}",
                statement is null
                    ? "check that the RisingWave user may read rw_catalog"
                    : "fix the query SQL or column definitions in the spec; objects already applied are kept and the next sync continues from them",
                statement, e.SqlState, e);
        }
        catch (Exception e) when (e is NpgsqlException or SocketException or IOException or TimeoutException)
        {
            throw new DdlException(DdlFailureReason.RisingWaveUnreachable, $"lost the connection to RisingWave: {e.Message}",
                "check that RisingWave is running and reachable; the sync is retried", statement, inner: e);
        }
    }
}
