using System.Text.Json;
using System.Text.Json.Serialization;

namespace Wavelet.Operator.Kubernetes;

/// <summary>Secret data: a map of base64 strings on the wire, bytes in memory.</summary>
internal sealed class Base64DictionaryConverter : JsonConverter<Dictionary<string, byte[]>>
{
    public override Dictionary<string, byte[]>? Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
    {
        if (reader.TokenType == JsonTokenType.Null)
        {
            return null;
        }

        var raw = JsonSerializer.Deserialize<Dictionary<string, string?>>(ref reader, options) ?? [];
        return raw.ToDictionary(pair => pair.Key, pair => Convert.FromBase64String(pair.Value ?? ""), StringComparer.Ordinal);
    }

    public override void Write(Utf8JsonWriter writer, Dictionary<string, byte[]> value, JsonSerializerOptions options)
    {
        writer.WriteStartObject();
        foreach (var (key, bytes) in value)
        {
            writer.WriteString(key, Convert.ToBase64String(bytes));
        }

        writer.WriteEndObject();
    }
}
