using System.Net;
using System.Text.Json;
using Wavelet.Api.Serialization;

namespace Wavelet.Operator.Kubernetes;

/// <summary>Turns an error answer into a <see cref="KubernetesException"/>; a body that is not a Status (plain text, HTML) becomes the message.</summary>
internal static class StatusParser
{
    public static KubernetesException ToException(HttpStatusCode code, string body, string? mediaType, string method, string path) =>
        new(code, Parse(code, body), method, path);

    public static V1Status Parse(HttpStatusCode code, string body)
    {
        var trimmed = body.TrimStart();
        if (trimmed.StartsWith('{'))
        {
            try
            {
                var status = JsonSerializer.Deserialize<V1Status>(trimmed, KubernetesJson.Options);
                if (status is not null && (status.Kind == "Status" || status.Reason is not null || status.Message is not null))
                {
                    status.Code ??= (int)code;
                    status.Reason ??= ReasonFor(code);
                    return status;
                }
            }
            catch (JsonException)
            {
                // not a Status: fall through and keep the text as the message
            }
        }

        var text = body.Trim();
        if (text.Length > 1000)
        {
            text = text[..1000] + "…";
        }

        return new V1Status
        {
            Status = "Failure",
            Code = (int)code,
            Reason = ReasonFor(code),
            Message = text.Length > 0 ? text : $"the server answered {(int)code} {code} with no body",
        };
    }

    public static string ReasonFor(HttpStatusCode code) => (int)code switch
    {
        400 => StatusReasons.BadRequest,
        401 => StatusReasons.Unauthorized,
        403 => StatusReasons.Forbidden,
        404 => StatusReasons.NotFound,
        405 => StatusReasons.MethodNotAllowed,
        409 => StatusReasons.Conflict,
        410 => StatusReasons.Gone,
        415 => StatusReasons.UnsupportedMediaType,
        422 => StatusReasons.Invalid,
        429 => StatusReasons.TooManyRequests,
        500 => StatusReasons.InternalError,
        503 => StatusReasons.ServiceUnavailable,
        504 => StatusReasons.Timeout,
        _ => (int)code >= 500 ? StatusReasons.InternalError : "Unknown",
    };
}
