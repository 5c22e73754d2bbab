using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using k8s;
using k8s.Models;

namespace Wavelet.Operator.Kubernetes;

/// <summary>Creates KubernetesClient instances the way the operator needs them.</summary>
public static class KubernetesClients
{
    /// <summary>
    /// A client for <paramref name="configuration"/>. KubernetesClient writes a time without a fraction when it falls on
    /// a whole second, but the API server parses metav1.MicroTime (a Lease's acquire and renew times) with exactly six
    /// fractional digits and refuses anything else; the client's serializer is told to write those fields that way.
    /// </summary>
    public static k8s.Kubernetes Create(KubernetesClientConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        configuration.AddJsonOptions(options =>
        {
            if (options.TypeInfoResolver is { } resolver && !options.IsReadOnly)
            {
                options.TypeInfoResolver = resolver.WithAddedModifier(WriteMicroTimes);
            }
        });
        return new k8s.Kubernetes(configuration);
    }

    private static void WriteMicroTimes(JsonTypeInfo info)
    {
        if (info.Type != typeof(V1LeaseSpec))
        {
            return;
        }

        foreach (var property in info.Properties)
        {
            if (property.Name is "acquireTime" or "renewTime")
            {
                property.CustomConverter = MicroTimeConverter.Instance;
            }
        }
    }

    private sealed class MicroTimeConverter : System.Text.Json.Serialization.JsonConverter<DateTime?>
    {
        public static readonly MicroTimeConverter Instance = new();

        public override bool HandleNull => false;

        public override DateTime? Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) =>
            reader.TokenType == JsonTokenType.Null ? null : new KubernetesJson.KubernetesDateTimeConverter().Read(ref reader, typeof(DateTime), options);

        public override void Write(Utf8JsonWriter writer, DateTime? value, JsonSerializerOptions options) =>
            writer.WriteStringValue(value!.Value.ToUniversalTime().ToString("yyyy'-'MM'-'dd'T'HH':'mm':'ss'.'ffffff'Z'", System.Globalization.CultureInfo.InvariantCulture));
    }
}
