using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;
using Npgsql;
using Wavelet.Api.DataPlane;
using Wavelet.Api.V1Alpha1;
using Wavelet.Ddl;

namespace Wavelet.Operator.Reconciliation;

/// <summary>
/// DDL sessions backed by <see cref="DdlManager"/>, each borrowing a connection from a pool per RisingWave URL, so a
/// reconcile does not pay a connection setup (TCP, startup, auth, session SET) every time.
/// </summary>
public sealed class DdlSessionFactory(ILoggerFactory loggers) : IDdlSessionFactory, IAsyncDisposable
{
    // Keyed by the full connection string: a rotated password makes a new pool; the old one's idle connections are pruned by Npgsql.
    private readonly ConcurrentDictionary<string, Lazy<NpgsqlDataSource>> _dataSources = new(StringComparer.Ordinal);

    public async Task<IDdlSession> OpenAsync(string databaseUrl, CancellationToken ct)
    {
        string connectionString;
        try
        {
            connectionString = PostgresUrl.ToConnectionString(databaseUrl);
        }
        catch (FormatException e)
        {
            throw new DdlException(DdlFailureReason.InvalidConnectionUrl, $"the connection Secret does not hold a usable URL: {e.Message}",
                "store a URL like postgres://root@risingwave:4566/dev under the key spec.risingwave.connectionSecretRef names");
        }

        var dataSource = _dataSources.GetOrAdd(connectionString,
            cs => new Lazy<NpgsqlDataSource>(() => DdlManager.BuildDataSource(new NpgsqlDataSourceBuilder(cs)))).Value;
        var manager = new DdlManager(loggers.CreateLogger<DdlManager>());
        try
        {
            await manager.ConnectAsync(dataSource, ct);
        }
        catch
        {
            await manager.DisposeAsync();
            throw;
        }

        return new Session(manager);
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var dataSource in _dataSources.Values.Where(l => l.IsValueCreated))
        {
            await dataSource.Value.DisposeAsync();
        }

        _dataSources.Clear();
    }

    private sealed class Session(DdlManager manager) : IDdlSession
    {
        public Task<DdlSyncResult> SyncAsync(WaveletProject project, SourceCredentials credentials, CancellationToken ct) => manager.SyncAsync(project, credentials, ct);

        public Task<IReadOnlyList<DdlAction>> DropAsync(WaveletProject project, SourceCredentials credentials, CancellationToken ct) => manager.DropAsync(project, credentials, ct);

        public ValueTask DisposeAsync() => manager.DisposeAsync();
    }
}
