using System.Text.Json;
using Wavelet.DataPlane.State;

namespace Wavelet.DataPlane.Auth;

/// <summary>Who is calling: the verified token's payload (or none), and when the token expires.</summary>
public sealed class Caller
{
    public static readonly Caller Anonymous = new(null, null);

    public Caller(JsonElement? payload, DateTimeOffset? expires)
    {
        Payload = payload;
        Expires = expires;
    }

    public JsonElement? Payload { get; }

    public DateTimeOffset? Expires { get; }

    public bool HasToken => Payload is not null;

    /// <summary>Claim values as strings: a string, a number, or an array of those. Missing → empty (sees no rows).</summary>
    public IReadOnlyList<string> ClaimValues(string claim)
    {
        if (Payload is not { ValueKind: JsonValueKind.Object } payload || !payload.TryGetProperty(claim, out var value))
        {
            return [];
        }

        return value.ValueKind == JsonValueKind.Array
            ? value.EnumerateArray().Select(Scalar).OfType<string>().ToList()
            : Scalar(value) is { } one ? [one] : [];
    }

    /// <summary>The partitions of a query this caller may see.</summary>
    public Partitions PartitionsFor(string? filterClaim) => filterClaim is null ? Partitions.All : Partitions.Of(ClaimValues(filterClaim));

    private static string? Scalar(JsonElement value) => value.ValueKind switch
    {
        JsonValueKind.String => value.GetString(),
        JsonValueKind.Number => value.GetRawText(),
        JsonValueKind.True => "true",
        JsonValueKind.False => "false",
        _ => null,
    };
}
