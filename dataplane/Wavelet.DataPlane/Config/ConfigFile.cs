using System.Security.Cryptography;

namespace Wavelet.DataPlane.Config;

/// <summary>The config file the process was started from and the checksum of the content it loaded.</summary>
public sealed record ConfigFile(string Path, string Checksum)
{
    public static string ChecksumOf(byte[] content) => Convert.ToHexString(SHA256.HashData(content));
}
