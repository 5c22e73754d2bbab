using System.Collections;
using System.Text.Json.Serialization.Metadata;

namespace Wavelet.Api.Serialization;

/// <summary>JSON in the Kubernetes style: camelCase, nulls and empty collections omitted.</summary>
public static class KubernetesJson
{
    public static JsonSerializerOptions Options { get; } = Create();

    public static string Serialize<T>(T value) => JsonSerializer.Serialize(value, Options);

    public static T? Deserialize<T>(string json) => JsonSerializer.Deserialize<T>(json, Options);

    private static JsonSerializerOptions Create()
    {
        var options = new JsonSerializerOptions
        {
            PropertyNamingPolicy = JsonNamingPolicy.CamelCase,
            DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
            PropertyNameCaseInsensitive = false,
            TypeInfoResolver = new DefaultJsonTypeInfoResolver { Modifiers = { OmitEmptyCollections } },
        };
        // KubernetesClient's models carry their own converters (quantities, int-or-string); times are written as the API server does.
        options.Converters.Add(new k8s.KubernetesJson.KubernetesDateTimeConverter());
        options.Converters.Add(new k8s.KubernetesJson.KubernetesDateTimeOffsetConverter());
        options.MakeReadOnly();
        return options;
    }

    private static void OmitEmptyCollections(JsonTypeInfo info)
    {
        foreach (var property in info.Properties)
        {
            if (typeof(ICollection).IsAssignableFrom(property.PropertyType) && property.PropertyType != typeof(string))
            {
                property.ShouldSerialize = (_, value) => value is ICollection { Count: > 0 };
            }
        }
    }
}
