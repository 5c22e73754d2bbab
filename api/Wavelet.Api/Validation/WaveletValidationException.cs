namespace Wavelet.Api.Validation;

/// <summary>Thrown by <see cref="WaveletProjectValidator.EnsureValid"/>; carries every problem, not just the first.</summary>
public sealed class WaveletValidationException : Exception
{
    public WaveletValidationException()
        : this("the WaveletProject is invalid", [])
    {
    }

    public WaveletValidationException(string message)
        : this(message, [])
    {
    }

    public WaveletValidationException(string message, Exception innerException)
        : base(message, innerException)
    {
        Problems = [];
    }

    public WaveletValidationException(string message, IReadOnlyList<ValidationProblem> problems)
        : base(message)
    {
        Problems = problems;
    }

    public IReadOnlyList<ValidationProblem> Problems { get; }
}
