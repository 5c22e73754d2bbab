namespace Wavelet.Cli;

/// <summary>A failure the user can fix; the message says what is wrong and how, and the command exits with <see cref="ExitCode"/>.</summary>
public sealed class CliException : Exception
{
    public CliException()
    {
    }

    public CliException(string message)
        : base(message)
    {
    }

    public CliException(string message, Exception inner)
        : base(message, inner)
    {
    }

    public CliException(string message, int exitCode)
        : base(message) => ExitCode = exitCode;

    public CliException(string message, Exception inner, int exitCode)
        : base(message, inner) => ExitCode = exitCode;

    public int ExitCode { get; } = ExitCodes.Failed;
}
