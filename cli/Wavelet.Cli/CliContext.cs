namespace Wavelet.Cli;

/// <summary>What a command may touch of its surroundings: its output streams, the caller's directory and environment.</summary>
public sealed class CliContext
{
    public CliContext(TextWriter output, TextWriter error, string currentDirectory, Func<string, string?> environment)
    {
        Output = output;
        Error = error;
        CurrentDirectory = currentDirectory;
        Environment = environment;
    }

    public TextWriter Output { get; }

    public TextWriter Error { get; }

    /// <summary>Relative paths on the command line are resolved from here (the caller's directory).</summary>
    public string CurrentDirectory { get; }

    public Func<string, string?> Environment { get; }

    public static CliContext FromProcess() =>
        new(Console.Out, Console.Error, System.Environment.CurrentDirectory, System.Environment.GetEnvironmentVariable);

    public string ResolvePath(string path) => Path.GetFullPath(path, CurrentDirectory);
}
