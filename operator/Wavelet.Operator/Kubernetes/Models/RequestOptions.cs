namespace Wavelet.Operator.Kubernetes;

/// <summary>Query options of a list request.</summary>
public sealed record ListOptions
{
    public string? LabelSelector { get; init; }
    public string? FieldSelector { get; init; }

    /// <summary>Page size; the server returns a continue token when more remain.</summary>
    public int? Limit { get; init; }

    /// <summary>Token from the previous page's <c>metadata.continue</c>; expires after a few minutes (410 Gone).</summary>
    public string? Continue { get; init; }

    /// <summary>Unset: a consistent read. "0": any cached state (may be stale).</summary>
    public string? ResourceVersion { get; init; }
}

/// <summary>Query options of a watch request.</summary>
public sealed record WatchOptions
{
    /// <summary>Watch changes after this version (normally the list's resourceVersion).</summary>
    public string? ResourceVersion { get; init; }
    public string? LabelSelector { get; init; }
    public string? FieldSelector { get; init; }
    public bool AllowWatchBookmarks { get; init; } = true;

    /// <summary>Server-side duration of the watch; the stream ends normally after it.</summary>
    public int? TimeoutSeconds { get; init; }
}

/// <summary>Options of a delete request.</summary>
public sealed record DeleteOptions
{
    /// <summary>Orphan, Background or Foreground.</summary>
    public string? PropagationPolicy { get; init; }

    public V1Preconditions? Preconditions { get; init; }
    public long? GracePeriodSeconds { get; init; }
}

/// <summary>Delete only if the object still has this uid / resourceVersion (409 Conflict otherwise).</summary>
public sealed record V1Preconditions
{
    public string? Uid { get; init; }
    public string? ResourceVersion { get; init; }
}

public static class PropagationPolicy
{
    public const string Orphan = "Orphan";
    public const string Background = "Background";
    public const string Foreground = "Foreground";
}
