namespace Wavelet.Bench.Harness;

/// <summary>The benchmark cannot run as set up; the message says what to fix.</summary>
public sealed class BenchSetupException : Exception
{
    public BenchSetupException(string message)
        : base(message)
    {
    }

    public BenchSetupException(string message, Exception inner)
        : base(message, inner)
    {
    }

    public BenchSetupException()
    {
    }
}
