using System.Collections.Concurrent;

namespace Wavelet.Testing.Kubernetes;

/// <summary>One request the fake API server received.</summary>
public sealed record FakeRequest(
    long Index,
    string Method,
    string Path,
    string Query,
    string? FieldManager,
    string? ContentType,
    string? BearerToken,
    bool Faulted)
{
    /// <summary>Subject of the TLS client certificate the request came with, if any.</summary>
    public string? ClientCertificateSubject { get; init; }

    /// <summary>The Accept header, e.g. to tell a Table request from a plain one.</summary>
    public string Accept { get; init; } = "";

    public string UserAgent { get; init; } = "";

    public bool IsWrite => Method is "POST" or "PUT" or "PATCH" or "DELETE";
    public bool IsWatch => Query.Contains("watch=true", StringComparison.Ordinal) || Query.Contains("watch=1", StringComparison.Ordinal);

    /// <summary>A query parameter's value (unescaped), or null.</summary>
    public string? QueryValue(string name)
    {
        foreach (var pair in Query.TrimStart('?').Split('&', StringSplitOptions.RemoveEmptyEntries))
        {
            var eq = pair.IndexOf('=', StringComparison.Ordinal);
            var key = eq < 0 ? pair : pair[..eq];
            if (key == name)
            {
                return eq < 0 ? "" : Uri.UnescapeDataString(pair[(eq + 1)..]);
            }
        }

        return null;
    }
}

/// <summary>Every request the fake API server received, in order. Take a <see cref="Mark"/> and count what came after it.</summary>
public sealed class FakeRequestLog
{
    private readonly ConcurrentQueue<FakeRequest> _requests = new();
    private long _next;

    public IReadOnlyList<FakeRequest> All => [.. _requests];

    /// <summary>A position in the log; pass it to <see cref="Since"/> or <see cref="WritesSince"/>.</summary>
    public long Mark() => Interlocked.Read(ref _next);

    public IReadOnlyList<FakeRequest> Since(long mark) => [.. _requests.Where(r => r.Index >= mark)];

    /// <summary>POST/PUT/PATCH/DELETE requests after <paramref name="mark"/>, optionally only those whose path contains <paramref name="pathContains"/>.</summary>
    public int WritesSince(long mark, string? pathContains = null) =>
        _requests.Count(r => r.Index >= mark && r.IsWrite && (pathContains is null || r.Path.Contains(pathContains, StringComparison.Ordinal)));

    public int Count(Func<FakeRequest, bool> predicate) => _requests.Count(predicate);

    internal FakeRequest Add(FakeRequest request)
    {
        var numbered = request with { Index = Interlocked.Increment(ref _next) - 1 };
        _requests.Enqueue(numbered);
        return numbered;
    }
}
