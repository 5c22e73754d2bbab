namespace Wavelet.Testing.Kubernetes.Http;

/// <summary>Writes answers: JSON with a content type, and warnings as <c>Warning: 299 - "..."</c> headers (kubectl prints them).</summary>
internal static class Responses
{
    public static async Task WriteJsonAsync(HttpContext context, int status, JsonNode body, IReadOnlyList<string>? warnings = null, string contentType = MediaTypes.Json)
    {
        context.Response.StatusCode = status;
        context.Response.ContentType = contentType;
        foreach (var warning in warnings ?? [])
        {
            context.Response.Headers.Append("Warning", $"299 - \"{warning.Replace("\"", "\\\"", StringComparison.Ordinal)}\"");
        }

        await context.Response.WriteAsync(body.ToJsonString(), Encoding.UTF8);
    }

    public static Task WriteStatusAsync(HttpContext context, FakeApiError error) => WriteJsonAsync(context, error.Code, error.ToStatus());
}
