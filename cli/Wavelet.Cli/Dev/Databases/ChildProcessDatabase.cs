using System.Diagnostics;

namespace Wavelet.Cli.Dev.Databases;

/// <summary>
/// RisingWave started by dev as a child process: `risingwave playground`, or `docker run` of the RisingWave image.
/// Disposing stops it (for Docker: removes the container by name, then ends the client).
/// </summary>
public sealed class ChildProcessDatabase : IDevDatabase
{
    private readonly Process _process;
    private readonly Func<Task>? _stop;

    public ChildProcessDatabase(Process process, string url, string description, Func<Task>? stop = null)
    {
        _process = process;
        Url = url;
        Description = description;
        _stop = stop;
    }

    public string Url { get; }

    public string Description { get; }

    public Process Process => _process;

    public async ValueTask DisposeAsync()
    {
        if (_stop is not null)
        {
            await _stop();
        }

        try
        {
            if (!_process.HasExited)
            {
                _process.Kill(entireProcessTree: true);
                await _process.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(30));
            }
        }
        catch (Exception e) when (e is InvalidOperationException or TimeoutException)
        {
        }
        finally
        {
            _process.Dispose();
        }
    }
}
