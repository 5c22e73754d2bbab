using Wavelet.Api.V1Alpha1;
using Wavelet.Ddl;

namespace Wavelet.Operator.Reconciliation;

/// <summary>One connection's worth of DDL work; the reconciler opens one per reconcile and disposes it (returning the connection to its pool).</summary>
public interface IDdlSession : IAsyncDisposable
{
    /// <summary>Syncs the project's DDL; <paramref name="credentials"/> holds its CDC sources' passwords.</summary>
    Task<DdlSyncResult> SyncAsync(WaveletProject project, SourceCredentials credentials, CancellationToken ct);

    /// <summary>Drops the project's objects; with <paramref name="credentials"/> also any replication slot its sources left.</summary>
    Task<IReadOnlyList<DdlAction>> DropAsync(WaveletProject project, SourceCredentials credentials, CancellationToken ct);
}

/// <summary>Opens DDL sessions against RisingWave.</summary>
public interface IDdlSessionFactory
{
    Task<IDdlSession> OpenAsync(string databaseUrl, CancellationToken ct);
}
