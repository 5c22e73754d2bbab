using System.Globalization;
using System.Security.Cryptography;
using System.Text;

namespace Wavelet.DataPlane.Webhooks;

/// <summary>
/// <c>X-Wavelet-Timestamp</c> (Unix seconds when the attempt was sent) and <c>X-Wavelet-Signature</c>: <c>sha256=</c> and
/// the lowercase hex HMAC-SHA256 of <c>&lt;timestamp&gt;.&lt;exact body bytes&gt;</c>. The timestamp is inside the signed bytes,
/// so a receiver that refuses old timestamps refuses replays of a captured request.
/// </summary>
public static class WebhookSignature
{
    public const string Header = "X-Wavelet-Signature";
    public const string TimestampHeader = "X-Wavelet-Timestamp";
    public const string Prefix = "sha256=";

    /// <summary>How far from the receiver's clock a timestamp may be in <see cref="Verify"/>.</summary>
    public static readonly TimeSpan DefaultTolerance = TimeSpan.FromMinutes(5);

    public static string Timestamp(DateTimeOffset at) => at.ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture);

    public static string Sign(byte[] key, string timestamp, ReadOnlySpan<byte> body)
    {
        var signed = new byte[timestamp.Length + 1 + body.Length];
        var prefixLength = Encoding.ASCII.GetBytes(timestamp + ".", signed);
        body.CopyTo(signed.AsSpan(prefixLength));
        return Prefix + Convert.ToHexStringLower(HMACSHA256.HashData(key, signed));
    }

    /// <summary>
    /// What a receiver does: the timestamp is a whole number within <paramref name="tolerance"/> of <paramref name="now"/>,
    /// and the signature matches (constant-time compare).
    /// </summary>
    public static bool Verify(byte[] key, ReadOnlySpan<byte> body, string? timestamp, string? signature, DateTimeOffset now, TimeSpan tolerance)
    {
        if (timestamp is null || signature is null
            || !long.TryParse(timestamp, NumberStyles.None, CultureInfo.InvariantCulture, out var seconds)
            || seconds > DateTimeOffset.MaxValue.ToUnixTimeSeconds()
            || (now - DateTimeOffset.FromUnixTimeSeconds(seconds)).Duration() > tolerance)
        {
            return false;
        }

        return CryptographicOperations.FixedTimeEquals(Encoding.ASCII.GetBytes(Sign(key, timestamp, body)), Encoding.ASCII.GetBytes(signature));
    }
}
