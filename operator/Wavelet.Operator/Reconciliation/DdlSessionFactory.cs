using Wavelet.Api.DataPlane;
using Microsoft.Extensions.Logging;
using Wavelet.Api.V1Alpha1;
using Wavelet.Operator.Ddl;

namespace Wavelet.Operator.Reconciliation;

/// <summary>DDL sessions backed by <see cref="DdlManager"/>.</summary>
public sealed class DdlSessionFactory(ILoggerFactory loggers) : IDdlSessionFactory
{
    public async Task<IDdlSession> OpenAsync(string databaseUrl, CancellationToken ct)
    {
        string connectionString;
        try
        {
            connectionString = PostgresUrl.ToConnectionString(databaseUrl);
        }
        catch (Exception e) when (e is FormatException or ArgumentException)
        {
            throw new DdlException(DdlFailureReason.RisingWaveUnreachable, $"the connection Secret does not hold a usable URL: {e.Message}",
                "store a URL like postgres://root@risingwave:4566/dev under the key spec.risingwave.connectionSecretRef names");
        }

        var manager = new DdlManager(loggers.CreateLogger<DdlManager>());
        try
        {
            await manager.ConnectAsync(connectionString, ct);
        }
        catch
        {
            await manager.DisposeAsync();
            throw;
        }

        return new Session(manager);
    }

    private sealed class Session(DdlManager manager) : IDdlSession
    {
        public Task<DdlSyncResult> SyncAsync(WaveletProject project, CancellationToken ct) => manager.SyncAsync(project, ct);

        public Task<IReadOnlyList<DdlAction>> DropAsync(WaveletProject project, CancellationToken ct) => manager.DropAsync(project, ct);

        public ValueTask DisposeAsync() => manager.DisposeAsync();
    }
}
