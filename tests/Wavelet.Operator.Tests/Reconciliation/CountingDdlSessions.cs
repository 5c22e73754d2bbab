namespace Wavelet.Operator.Tests.Reconciliation;

/// <summary>The real session factory, counting the RisingWave sessions the operator opens.</summary>
internal sealed class CountingDdlSessions(IDdlSessionFactory inner) : IDdlSessionFactory
{
    private int _opened;

    public int Opened => Volatile.Read(ref _opened);

    public Task<IDdlSession> OpenAsync(string databaseUrl, CancellationToken ct)
    {
        Interlocked.Increment(ref _opened);
        return inner.OpenAsync(databaseUrl, ct);
    }
}
