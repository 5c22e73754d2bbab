using System.Diagnostics;

namespace Wavelet.Bench.Clients;

/// <summary>
/// N subscribers of one query, spread round-robin over tenants (or all unfiltered). Connects with a bounded number of
/// handshakes in flight (the listen backlog would otherwise drop SYNs and add 1 s retransmits to the figures).
/// </summary>
public sealed class ClientSwarm : IAsyncDisposable
{
    private readonly Uri _baseUri;
    private readonly string _query;
    private readonly TokenFactory _tokens;
    private readonly List<SwarmClient> _clients;

    public ClientSwarm(Uri baseUri, string query, TokenFactory tokens, IReadOnlyList<string?> tenantPerClient, string timestampColumn)
    {
        _baseUri = baseUri;
        _query = query;
        _tokens = tokens;
        _clients = [.. tenantPerClient.Select(t => new SwarmClient(t, Stats, timestampColumn))];
    }

    public SwarmStats Stats { get; } = new();

    public IReadOnlyList<SwarmClient> Clients => _clients;

    /// <summary>Tenant names t0..t{tenants-1} assigned round-robin to <paramref name="clients"/> clients; null tenants = unfiltered.</summary>
    public static IReadOnlyList<string?> Spread(int clients, int? tenants) =>
        [.. Enumerable.Range(0, clients).Select(i => tenants is { } t ? Harness.BenchSchema.TenantName(i % t) : null)];

    /// <summary>Connects every client (with its last cursor when <paramref name="withCursor"/>); returns the wall time it took.</summary>
    public async Task<TimeSpan> ConnectAllAsync(int inFlight, bool withCursor, CancellationToken ct)
    {
        using var gate = new SemaphoreSlim(inFlight);
        var watch = Stopwatch.StartNew();
        var tasks = _clients.Select(async client =>
        {
            await gate.WaitAsync(ct);
            try
            {
                await client.ConnectAsync(_baseUri, _query, _tokens.For(client.Tenant), withCursor, ct);
            }
            finally
            {
                gate.Release();
            }
        }).ToList();
        await Task.WhenAll(tasks);
        return watch.Elapsed;
    }

    public async Task DropAllAsync()
    {
        await Task.WhenAll(_clients.Select(c => c.DropAsync()));
    }

    public int CountWhere(Func<SwarmClient, bool> predicate) => _clients.Count(predicate);

    public async ValueTask DisposeAsync()
    {
        await DropAllAsync();
    }
}
