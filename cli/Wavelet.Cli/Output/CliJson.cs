using System.Text.Json;
using System.Text.Json.Serialization;

namespace Wavelet.Cli.Output;

/// <summary>The JSON every `--json` output uses: camelCase, indented, nulls left out.</summary>
public static class CliJson
{
    public static readonly JsonSerializerOptions Options = new(JsonSerializerDefaults.Web)
    {
        WriteIndented = true,
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    };

    public static Task WriteAsync<T>(TextWriter output, T document)
    {
        ArgumentNullException.ThrowIfNull(output);
        return output.WriteLineAsync(JsonSerializer.Serialize(document, Options));
    }
}
