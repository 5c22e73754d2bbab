namespace Wavelet.Api.Serialization;

/// <summary>A manifest that cannot be read: malformed YAML, a wrong field type, an unknown field or kind.</summary>
public sealed class ManifestException : Exception
{
    public ManifestException()
    {
    }

    public ManifestException(string message)
        : base(message)
    {
    }

    public ManifestException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    /// <summary>1-based line of the problem in the source text, when known.</summary>
    public int? Line { get; init; }
}
