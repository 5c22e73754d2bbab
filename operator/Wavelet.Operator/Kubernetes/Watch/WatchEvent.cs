namespace Wavelet.Operator.Kubernetes;

public enum WatchEventType
{
    Added,
    Modified,
    Deleted,
    Bookmark,
    Error,
}

/// <summary>One line of a watch stream. <see cref="Object"/> is set for Added/Modified/Deleted/Bookmark, <see cref="Status"/> for Error.</summary>
public sealed record WatchEvent<T>(WatchEventType Type, T? Object, V1Status? Status)
    where T : class
{
    /// <summary>True for the ERROR event the server sends when the watched resourceVersion is too old (410 Expired/Gone).</summary>
    public bool IsExpired => Type == WatchEventType.Error && (Status?.Code == 410 || Status?.Reason is StatusReasons.Expired or StatusReasons.Gone);
}
