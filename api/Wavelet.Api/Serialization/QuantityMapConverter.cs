namespace Wavelet.Api.Serialization;

/// <summary>
/// A map of resource quantities (cpu: 1, memory: 256Mi). YAML writes whole quantities as numbers, so values are read
/// from numbers or strings and kept as their text.
/// </summary>
public sealed class QuantityMapConverter : JsonConverter<Dictionary<string, string>?>
{
    public override bool HandleNull => false;

    public override Dictionary<string, string>? Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
    {
        if (reader.TokenType != JsonTokenType.StartObject)
        {
            throw new JsonException("expected a mapping of resource names to quantities");
        }

        var result = new Dictionary<string, string>(StringComparer.Ordinal);
        while (reader.Read() && reader.TokenType != JsonTokenType.EndObject)
        {
            var name = reader.GetString()!;
            reader.Read();
            result[name] = reader.TokenType switch
            {
                JsonTokenType.String => reader.GetString()!,
                JsonTokenType.Number => System.Text.Encoding.UTF8.GetString(reader.ValueSpan),
                _ => throw new JsonException($"the quantity of {name} must be a number or a string such as 500m or 256Mi"),
            };
        }

        return result;
    }

    public override void Write(Utf8JsonWriter writer, Dictionary<string, string>? value, JsonSerializerOptions options)
    {
        ArgumentNullException.ThrowIfNull(writer);
        writer.WriteStartObject();
        foreach (var (name, quantity) in value ?? [])
        {
            writer.WriteString(name, quantity);
        }

        writer.WriteEndObject();
    }
}
