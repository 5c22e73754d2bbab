using System.Net;
using System.Text.Json;
using k8s;
using k8s.Autorest;
using k8s.Models;

namespace Wavelet.Operator.Kubernetes;

/// <summary>Reads KubernetesClient's <see cref="HttpOperationException"/>: the HTTP status and the API server's Status object.</summary>
public static class ApiErrors
{
    public static HttpStatusCode? StatusCode(this HttpOperationException e) => e?.Response?.StatusCode;

    public static bool IsNotFound(this HttpOperationException e) => e.StatusCode() == HttpStatusCode.NotFound;

    /// <summary>409: a stale resourceVersion, an object that already exists, or a server-side apply field conflict.</summary>
    public static bool IsConflict(this HttpOperationException e) => e.StatusCode() == HttpStatusCode.Conflict;

    /// <summary>410: the resourceVersion or continue token is too old.</summary>
    public static bool IsGone(this HttpOperationException e) => e.StatusCode() == HttpStatusCode.Gone;

    /// <summary>422 Invalid or 403 Forbidden: a refusal that retrying the same request will not change.</summary>
    public static bool IsRefusal(this HttpOperationException e) => e.StatusCode() is HttpStatusCode.UnprocessableEntity or HttpStatusCode.Forbidden;

    /// <summary>The Status object of the answer (synthesised from the HTTP status when the body is not one, e.g. a proxy's page).</summary>
    public static V1Status Status(this HttpOperationException e)
    {
        ArgumentNullException.ThrowIfNull(e);
        var code = (int?)e.StatusCode() ?? 0;
        var body = e.Response?.Content;
        if (!string.IsNullOrWhiteSpace(body))
        {
            try
            {
                if (KubernetesJson.Deserialize<V1Status>(body) is { Kind: "Status" } status)
                {
                    return status;
                }
            }
            catch (JsonException)
            {
                // not a Status: fall through
            }
        }

        return new V1Status
        {
            Code = code,
            Reason = e.StatusCode()?.ToString() ?? "Unknown",
            Message = string.IsNullOrWhiteSpace(body) ? e.Message : body.Trim(),
        };
    }

    /// <summary>"Reason: message" as the API server stated it.</summary>
    public static string Describe(this HttpOperationException e)
    {
        var status = e.Status();
        return $"{status.Reason} ({status.Code}): {status.Message}";
    }
}
