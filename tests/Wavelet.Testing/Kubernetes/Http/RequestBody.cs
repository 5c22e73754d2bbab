using Wavelet.Testing.Kubernetes.Protobuf;
using Wavelet.Testing.Kubernetes.Serialization;

namespace Wavelet.Testing.Kubernetes.Http;

/// <summary>Decodes a request body by its content type: JSON, YAML (apply bodies, <c>application/yaml</c>) or Kubernetes protobuf.</summary>
internal static class RequestBody
{
    public static async Task<byte[]> ReadAsync(HttpRequest request)
    {
        using var buffer = new MemoryStream();
        await request.Body.CopyToAsync(buffer, request.HttpContext.RequestAborted);
        return buffer.ToArray();
    }

    public static string MediaType(HttpRequest request) => request.ContentType?.Split(';')[0].Trim() ?? "";

    /// <summary>The body as JSON; 400 when it is not valid for its content type, 415 for a content type the fake cannot read.</summary>
    public static JsonNode? Decode(byte[] body, string mediaType)
    {
        if (body.Length == 0)
        {
            return null;
        }

        try
        {
            return mediaType switch
            {
                KubernetesProtobuf.ContentType => KubernetesProtobuf.Decode(body),
                "application/apply-patch+yaml" or "application/yaml" => YamlJson.Parse(Encoding.UTF8.GetString(body)),
                _ => JsonNode.Parse(body),
            };
        }
        catch (NotSupportedException ex)
        {
            throw new FakeApiError(415, "UnsupportedMediaType", ex.Message);
        }
        catch (JsonException ex)
        {
            throw FakeApiError.BadRequest($"the body of the request could not be decoded as {(mediaType.Length == 0 ? "JSON" : mediaType)}: {ex.Message}");
        }
    }

    public static JsonObject DecodeObject(byte[] body, string mediaType) =>
        Decode(body, mediaType) as JsonObject ?? throw FakeApiError.BadRequest("the body must be an object");
}
