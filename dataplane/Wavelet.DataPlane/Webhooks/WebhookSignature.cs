using System.Security.Cryptography;

namespace Wavelet.DataPlane.Webhooks;

/// <summary>The <c>X-Wavelet-Signature</c> header: <c>sha256=</c> and the lowercase hex HMAC-SHA256 of the exact body bytes.</summary>
public static class WebhookSignature
{
    public const string Header = "X-Wavelet-Signature";
    public const string Prefix = "sha256=";

    public static string Sign(byte[] key, ReadOnlySpan<byte> body) => Prefix + Convert.ToHexStringLower(HMACSHA256.HashData(key, body));

    /// <summary>Constant-time check of a received header against the body, as a receiver would do it.</summary>
    public static bool Verify(byte[] key, ReadOnlySpan<byte> body, string? header) =>
        header is not null && CryptographicOperations.FixedTimeEquals(System.Text.Encoding.ASCII.GetBytes(Sign(key, body)), System.Text.Encoding.ASCII.GetBytes(header));
}
