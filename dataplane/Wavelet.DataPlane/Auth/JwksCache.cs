using System.Collections.Concurrent;
using Microsoft.IdentityModel.Tokens;

namespace Wavelet.DataPlane.Auth;

/// <summary>
/// JWKS keys per URL, fetched once and cached; refetched only when a token names an unknown key id, at most once per
/// <see cref="MinRefreshInterval"/> (so a flood of forged kids cannot turn into a flood of fetches). Never per request.
/// </summary>
public sealed class JwksCache
{
    private readonly HttpClient _http;
    private readonly TimeProvider _clock;
    private readonly ILogger<JwksCache> _logger;
    private readonly ConcurrentDictionary<string, Entry> _entries = new(StringComparer.Ordinal);

    public JwksCache(HttpClient http, TimeProvider clock, ILogger<JwksCache> logger)
    {
        _http = http;
        _clock = clock;
        _logger = logger;
    }

    public static TimeSpan MinRefreshInterval { get; } = TimeSpan.FromSeconds(30);

    public int Fetches { get; private set; }

    public async Task<IReadOnlyList<SecurityKey>> KeysAsync(string url, string? kid, CancellationToken ct)
    {
        var entry = _entries.GetOrAdd(url, _ => new Entry());
        await entry.Gate.WaitAsync(ct);
        try
        {
            var known = entry.Keys is not null && (kid is null || entry.Keys.Any(k => k.KeyId == kid));
            var mayRefresh = entry.FetchedAt is null || _clock.GetUtcNow() - entry.FetchedAt >= MinRefreshInterval;
            if (!known && mayRefresh)
            {
                entry.FetchedAt = _clock.GetUtcNow();
                try
                {
                    Fetches++;
                    var json = await _http.GetStringAsync(url, ct);
                    entry.Keys = [.. new JsonWebKeySet(json).GetSigningKeys()];
                }
                catch (Exception e) when (e is HttpRequestException or ArgumentException or TaskCanceledException)
                {
                    _logger.LogWarning("Fetching JWKS from {Url} failed: {Error}", url, e.Message);
                }
            }

            return entry.Keys ?? [];
        }
        finally
        {
            entry.Gate.Release();
        }
    }

    private sealed class Entry
    {
        public SemaphoreSlim Gate { get; } = new(1, 1);

        public IReadOnlyList<SecurityKey>? Keys { get; set; }

        public DateTimeOffset? FetchedAt { get; set; }
    }
}
