using System.Net;

namespace Wavelet.Operator.Kubernetes;

/// <summary>The API server refused a request. <see cref="Status"/> is the parsed Status (synthesised when the body was not one).</summary>
public sealed class KubernetesException : Exception
{
    public KubernetesException(HttpStatusCode statusCode, V1Status status, string method, string path)
        : base($"{method} {path} failed: {(int)statusCode} {status.Reason}: {status.Message}")
    {
        StatusCode = statusCode;
        Status = status;
    }

    public KubernetesException()
        : this("Kubernetes request failed")
    {
    }

    public KubernetesException(string message)
        : base(message)
    {
        Status = new V1Status { Status = "Failure", Message = message };
    }

    public KubernetesException(string message, Exception innerException)
        : base(message, innerException)
    {
        Status = new V1Status { Status = "Failure", Message = message };
    }

    public HttpStatusCode StatusCode { get; }
    public V1Status Status { get; }
    public string? Reason => Status.Reason;

    public bool IsNotFound => Is(HttpStatusCode.NotFound, StatusReasons.NotFound);
    public bool IsAlreadyExists => Reason == StatusReasons.AlreadyExists;

    /// <summary>A stale resourceVersion or a server-side-apply field conflict (409 that is not AlreadyExists).</summary>
    public bool IsConflict => Reason == StatusReasons.Conflict || (StatusCode == HttpStatusCode.Conflict && !IsAlreadyExists);

    /// <summary>410: the resourceVersion or continue token is too old; relist.</summary>
    public bool IsGone => Is(HttpStatusCode.Gone, StatusReasons.Gone) || Reason == StatusReasons.Expired;

    public bool IsInvalid => Is(HttpStatusCode.UnprocessableEntity, StatusReasons.Invalid);
    public bool IsForbidden => Is(HttpStatusCode.Forbidden, StatusReasons.Forbidden);
    public bool IsUnauthorized => Is(HttpStatusCode.Unauthorized, StatusReasons.Unauthorized);
    public bool IsTooManyRequests => Is(HttpStatusCode.TooManyRequests, StatusReasons.TooManyRequests);
    public bool IsUnsupportedMediaType => Is(HttpStatusCode.UnsupportedMediaType, StatusReasons.UnsupportedMediaType);

    /// <summary>A transient server-side failure worth retrying with backoff.</summary>
    public bool IsServerError => (int)StatusCode >= 500 || Reason is StatusReasons.ServerTimeout or StatusReasons.Timeout or StatusReasons.ServiceUnavailable;

    private bool Is(HttpStatusCode code, string reason) => StatusCode == code || Reason == reason;
}
