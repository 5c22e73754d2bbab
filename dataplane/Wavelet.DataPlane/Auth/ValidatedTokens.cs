using System.Collections.Concurrent;

namespace Wavelet.DataPlane.Auth;

/// <summary>
/// Tokens one config's HS256 secret already verified, by their exact text, so a client sending the same token with every
/// request pays the signature check and the claim parsing once (it was ~26% of the data plane's CPU per single-event
/// POST). Each hit re-checks nbf and exp (with the skew) against the clock, so a cached token expires exactly when a
/// fresh validation would refuse it. The cache belongs to one <see cref="JwtEvents"/>, i.e. to one published config and
/// the secret read for it: a reload starts empty. Only secret-only configs use it; with a JWKS URL a key can leave the
/// set at any fetch, which a cache would not see. Only verified tokens enter, so only holders of the secret can fill it;
/// it is still bounded, and cleared when full.
/// </summary>
public sealed class ValidatedTokens(TimeProvider clock, TimeSpan skew)
{
    public const int Capacity = 10_000;

    private readonly ConcurrentDictionary<string, Entry> _entries = new(StringComparer.Ordinal);

    public int Count => _entries.Count;

    /// <summary>The caller of a verified token still inside its lifetime; null when unknown or no longer valid.</summary>
    public Caller? Find(string token)
    {
        ArgumentNullException.ThrowIfNull(token);
        if (!_entries.TryGetValue(token, out var entry))
        {
            return null;
        }

        var now = clock.GetUtcNow();
        // Caller.Expires already holds exp + skew, the last instant the lifetime rule accepts.
        if (entry.NotBefore is { } nbf && nbf > now + skew || entry.Caller.Expires is { } expires && expires < now)
        {
            _entries.TryRemove(token, out _);
            return null;
        }

        return entry.Caller;
    }

    public void Add(string token, Caller caller, DateTimeOffset? notBefore)
    {
        ArgumentNullException.ThrowIfNull(token);
        ArgumentNullException.ThrowIfNull(caller);
        if (_entries.Count >= Capacity)
        {
            _entries.Clear();
        }

        _entries[token] = new Entry(caller, notBefore);
    }

    private sealed record Entry(Caller Caller, DateTimeOffset? NotBefore);
}
