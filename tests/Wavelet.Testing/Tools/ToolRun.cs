using System.Diagnostics;

namespace Wavelet.Testing.Tools;

/// <summary>What one run of an external tool printed and how it exited.</summary>
public sealed record ToolRun(string CommandLine, int ExitCode, string Output, string Error)
{
    public bool Succeeded => ExitCode == 0;

    /// <summary>Throws with the command line and everything it printed unless it exited 0.</summary>
    public ToolRun EnsureSuccess() => Succeeded
        ? this
        : throw new InvalidOperationException($"`{CommandLine}` exited {ExitCode}:\n{Error}\n{Output}");

    /// <summary>Runs <paramref name="program"/> with <paramref name="arguments"/> (no shell), optionally feeding stdin.</summary>
    public static Task<ToolRun> RunAsync(
        string program, IEnumerable<string> arguments, string? standardInput = null, CancellationToken cancellationToken = default) =>
        RunAsync(program, arguments, standardInput, null, cancellationToken);

    /// <summary>As <see cref="RunAsync(string, IEnumerable{string}, string?, CancellationToken)"/>, with extra environment variables.</summary>
    public static async Task<ToolRun> RunAsync(
        string program, IEnumerable<string> arguments, string? standardInput, IReadOnlyDictionary<string, string>? environment, CancellationToken cancellationToken = default)
    {
        var start = new ProcessStartInfo(program)
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            StandardOutputEncoding = Encoding.UTF8,
            StandardErrorEncoding = Encoding.UTF8,
        };
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        foreach (var (name, value) in environment ?? new Dictionary<string, string>())
        {
            start.Environment[name] = value;
        }

        var commandLine = string.Join(' ', [Path.GetFileName(program), .. start.ArgumentList]);
        using var process = Process.Start(start) ?? throw new InvalidOperationException($"Could not start `{commandLine}`.");
        try
        {
            var output = process.StandardOutput.ReadToEndAsync(cancellationToken);
            var error = process.StandardError.ReadToEndAsync(cancellationToken);
            if (standardInput is not null)
            {
                await process.StandardInput.WriteAsync(standardInput.AsMemory(), cancellationToken);
            }

            process.StandardInput.Close();
            await process.WaitForExitAsync(cancellationToken);
            return new ToolRun(commandLine, process.ExitCode, await output, await error);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw;
        }
    }
}
