namespace Wavelet.Cli.Tests;

/// <summary>Runs a wavelet command in-process, as if typed in <paramref name="directory"/> with the given environment.</summary>
internal static class Cli
{
    public static async Task<CliResult> RunAsync(string directory, IReadOnlyDictionary<string, string>? environment, params string[] args)
    {
        var output = new StringWriter();
        var error = new StringWriter();
        var context = new CliContext(output, error, directory, name => environment is not null && environment.TryGetValue(name, out var value) ? value : null);
        var code = await WaveletCommandLine.InvokeAsync(args, context);
        return new CliResult(code, output.ToString(), error.ToString());
    }

    public static Task<CliResult> RunAsync(string directory, params string[] args) => RunAsync(directory, null, args);
}

internal sealed record CliResult(int Code, string Out, string Err)
{
    public override string ToString() => $"exit {Code}\nstdout:\n{Out}\nstderr:\n{Err}";
}
