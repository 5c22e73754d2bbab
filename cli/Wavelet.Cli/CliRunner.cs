using Wavelet.Api.Serialization;
using Wavelet.Api.Validation;

namespace Wavelet.Cli;

/// <summary>Runs a command body and turns the failures a user can fix into one `wavelet: ...` message and an exit code.</summary>
public static class CliRunner
{
    public static async Task<int> RunAsync(CliContext context, Func<Task<int>> body)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(body);
        try
        {
            return await body();
        }
        catch (CliException e)
        {
            await context.Error.WriteLineAsync($"wavelet: {e.Message}");
            return e.ExitCode;
        }
        catch (DdlException e)
        {
            await context.Error.WriteLineAsync($"wavelet: {e.Reason}: {e.Describe()}");
            return ExitCodes.Failed;
        }
        catch (Exception e) when (e is ManifestException or WaveletValidationException or FormatException)
        {
            await context.Error.WriteLineAsync($"wavelet: {e.Message}");
            return ExitCodes.Failed;
        }
        catch (OperationCanceledException)
        {
            await context.Error.WriteLineAsync("wavelet: cancelled");
            return ExitCodes.Failed;
        }
    }
}
