namespace Wavelet.Api.Serialization;

/// <summary>
/// A Kubernetes int-or-string field (e.g. a PodDisruptionBudget's minAvailable: 1 or "50%") held as a string:
/// reads a JSON number or string, writes a number when the value is a whole number.
/// </summary>
public sealed class IntOrStringConverter : JsonConverter<string?>
{
    public override bool HandleNull => false;

    public override string? Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) => reader.TokenType switch
    {
        JsonTokenType.String => reader.GetString(),
        JsonTokenType.Number when reader.TryGetInt32(out var number) => number.ToString(CultureInfo.InvariantCulture),
        _ => throw new JsonException("expected a whole number or a string such as \"50%\""),
    };

    public override void Write(Utf8JsonWriter writer, string? value, JsonSerializerOptions options)
    {
        ArgumentNullException.ThrowIfNull(writer);
        if (int.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out var number))
        {
            writer.WriteNumberValue(number);
        }
        else
        {
            writer.WriteStringValue(value);
        }
    }
}
