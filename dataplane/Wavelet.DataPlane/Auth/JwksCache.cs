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
    private readonly long _maxBytes;
    private readonly TimeProvider _clock;
    private readonly ILogger<JwksCache> _logger;
    private readonly ConcurrentDictionary<string, Entry> _entries = new(StringComparer.Ordinal);

    /// <param name="http">A client whose handler applies the egress rules and follows no redirects.</param>
    /// <param name="maxBytes">Largest JWKS document read; a longer one is refused.</param>
    public JwksCache(HttpClient http, long maxBytes, TimeProvider clock, ILogger<JwksCache> logger)
    {
        _http = http;
        _maxBytes = maxBytes;
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
                    var json = await FetchAsync(url, ct);
                    entry.Keys = [.. new JsonWebKeySet(json).GetSigningKeys()];
                }
                catch (Exception e) when (e is HttpRequestException or ArgumentException or TaskCanceledException)
                {
                    _logger.JwksFetchFailed(url, e.Message);
                }
            }

            return entry.Keys ?? [];
        }
        finally
        {
            entry.Gate.Release();
        }
    }

    /// <summary>GET with no redirect (a 3xx is a failure) and at most <see cref="_maxBytes"/> bytes read.</summary>
    private async Task<string> FetchAsync(string url, CancellationToken ct)
    {
        using var response = await _http.GetAsync(url, HttpCompletionOption.ResponseHeadersRead, ct);
        if (!response.IsSuccessStatusCode)
        {
            throw new HttpRequestException($"answered {(int)response.StatusCode} (redirects are not followed)");
        }

        if (response.Content.Headers.ContentLength > _maxBytes)
        {
            throw new HttpRequestException($"the document is {response.Content.Headers.ContentLength} bytes; the limit is {_maxBytes}");
        }

        await using var body = await response.Content.ReadAsStreamAsync(ct);
        using var buffer = new MemoryStream();
        var chunk = new byte[16 * 1024];
        int read;
        while ((read = await body.ReadAsync(chunk, ct)) > 0)
        {
            if (buffer.Length + read > _maxBytes)
            {
                throw new HttpRequestException($"the document is larger than the limit of {_maxBytes} bytes");
            }

            buffer.Write(chunk, 0, read);
        }

        return System.Text.Encoding.UTF8.GetString(buffer.GetBuffer(), 0, (int)buffer.Length);
    }

    private sealed class Entry
    {
        public SemaphoreSlim Gate { get; } = new(1, 1);

        public IReadOnlyList<SecurityKey>? Keys { get; set; }

        public DateTimeOffset? FetchedAt { get; set; }
    }
}
