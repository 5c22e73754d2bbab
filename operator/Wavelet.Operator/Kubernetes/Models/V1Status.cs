namespace Wavelet.Operator.Kubernetes;

/// <summary>A meta/v1 Status: what the API server returns for errors (and for some deletes).</summary>
public sealed class V1Status
{
    public string? ApiVersion { get; set; } = "v1";
    public string? Kind { get; set; } = "Status";
    public string? Status { get; set; }
    public string? Message { get; set; }
    public string? Reason { get; set; }
    public V1StatusDetails? Details { get; set; }
    public int? Code { get; set; }
}

public sealed class V1StatusDetails
{
    public string? Name { get; set; }
    public string? Group { get; set; }
    public string? Kind { get; set; }
    public string? Uid { get; set; }
    public List<V1StatusCause>? Causes { get; set; }
    public int? RetryAfterSeconds { get; set; }
}

public sealed class V1StatusCause
{
    public string? Reason { get; set; }
    public string? Message { get; set; }
    public string? Field { get; set; }
}

/// <summary>The reasons the API server puts in <see cref="V1Status.Reason"/>.</summary>
public static class StatusReasons
{
    public const string NotFound = "NotFound";
    public const string AlreadyExists = "AlreadyExists";
    public const string Conflict = "Conflict";
    public const string Gone = "Gone";
    public const string Expired = "Expired";
    public const string Invalid = "Invalid";
    public const string Forbidden = "Forbidden";
    public const string Unauthorized = "Unauthorized";
    public const string TooManyRequests = "TooManyRequests";
    public const string ServerTimeout = "ServerTimeout";
    public const string Timeout = "Timeout";
    public const string ServiceUnavailable = "ServiceUnavailable";
    public const string InternalError = "InternalError";
    public const string BadRequest = "BadRequest";
    public const string MethodNotAllowed = "MethodNotAllowed";
    public const string UnsupportedMediaType = "UnsupportedMediaType";
}
