using System.Text.Json;
using Wavelet.Api.DataPlane;

namespace Wavelet.Bench.Harness;

/// <summary>
/// The data plane as a child process (`dotnet Wavelet.DataPlane.dll --config file`), so its CPU and RSS can be read
/// from /proc apart from the driver's. Killed (with its tree) on dispose and if the driver exits.
/// </summary>
public sealed class DataPlaneProcess : IAsyncDisposable
{
    private const int OutputLinesKept = 40;
    private static readonly JsonSerializerOptions ConfigJson = new(JsonSerializerDefaults.Web) { WriteIndented = true };
    private readonly Process _process;
    private readonly Queue<string> _output = new();
    private readonly List<string> _noted = [];
    private readonly DataPlaneLaunch _launch;
    private readonly EventHandler _onExit;
    private bool _ownsDirectory = true;

    private DataPlaneProcess(Process process, DataPlaneLaunch launch, Uri baseUri)
    {
        _process = process;
        _launch = launch;
        BaseUri = baseUri;
        _onExit = (_, _) => Kill();
        AppDomain.CurrentDomain.ProcessExit += _onExit;
    }

    public Uri BaseUri { get; }

    public int Pid => _process.Id;

    public static async Task<DataPlaneProcess> StartAsync(string dll, DataPlaneConfig config, IReadOnlyDictionary<string, string> environment, ILogger logger, CancellationToken ct, string? cpus = null)
    {
        var directory = Directory.CreateTempSubdirectory("wavelet-bench-");
        await WriteConfigFileAsync(Path.Combine(directory.FullName, DataPlaneConfig.FileName), config, ct);
        var launch = new DataPlaneLaunch(dll, directory.FullName, FreePort.Pick(), environment, cpus);
        return await LaunchAsync(launch, logger, ct);
    }

    /// <summary>
    /// Replaces the config file atomically (write then rename, as a ConfigMap volume swaps it): the running data plane
    /// reloads it live.
    /// </summary>
    public Task WriteConfigAsync(DataPlaneConfig config, CancellationToken ct) =>
        WriteConfigFileAsync(Path.Combine(_launch.ConfigDirectory, DataPlaneConfig.FileName), config, ct);

    /// <summary>
    /// Sends SIGTERM (as Kubernetes does) and waits for the process to drain and exit, then starts a new one on the same
    /// address with the same config directory. <paramref name="afterExit"/> runs in between, while nothing listens. The
    /// returned process owns the directory from then on.
    /// </summary>
    public async Task<DataPlaneProcess> RestartAsync(ILogger logger, Action afterExit, CancellationToken ct)
    {
        await TerminateAsync(ct);
        afterExit();
        _ownsDirectory = false;
        return await LaunchAsync(_launch, logger, ct);
    }

    /// <summary>SIGTERM, then waits up to 60 s for the exit (the drain delay and socket closes come first).</summary>
    public async Task TerminateAsync(CancellationToken ct)
    {
        using (var kill = Process.Start(new ProcessStartInfo("kill", ["-TERM", Pid.ToString(CultureInfo.InvariantCulture)]) { UseShellExecute = false })
            ?? throw new BenchSetupException("could not run `kill -TERM`"))
        {
            await kill.WaitForExitAsync(ct);
        }

        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(ct);
        timeout.CancelAfter(TimeSpan.FromSeconds(60));
        await _process.WaitForExitAsync(timeout.Token);
    }

    private static async Task WriteConfigFileAsync(string path, DataPlaneConfig config, CancellationToken ct)
    {
        var staging = path + ".new";
        await File.WriteAllTextAsync(staging, JsonSerializer.Serialize(config, ConfigJson), ct);
        File.Move(staging, path, overwrite: true);
    }

    private static async Task<DataPlaneProcess> LaunchAsync(DataPlaneLaunch launch, ILogger logger, CancellationToken ct)
    {
        var configPath = Path.Combine(launch.ConfigDirectory, DataPlaneConfig.FileName);
        var url = $"http://127.0.0.1:{launch.Port.ToString(CultureInfo.InvariantCulture)}";
        // taskset execs the data plane in place, so the child's pid (CPU and RSS figures) stays the data plane's.
        var info = new ProcessStartInfo(launch.Cpus is null ? "dotnet" : "taskset")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        string[] pin = launch.Cpus is null ? [] : ["-c", launch.Cpus, "dotnet"];
        foreach (var argument in pin.Concat([launch.Dll, "--config", configPath, "--urls", url]))
        {
            info.ArgumentList.Add(argument);
        }

        info.Environment["ASPNETCORE_URLS"] = url;
        info.Environment["Logging__LogLevel__Default"] = "Warning";
        info.Environment["Logging__LogLevel__Microsoft.AspNetCore"] = "Warning";
        foreach (var (name, value) in launch.Environment)
        {
            info.Environment[name] = value;
        }

        var process = Process.Start(info) ?? throw new BenchSetupException($"could not start `dotnet {launch.Dll}`");
        var dataPlane = new DataPlaneProcess(process, launch, new Uri(url));
        process.OutputDataReceived += (_, e) => dataPlane.Keep(e.Data);
        process.ErrorDataReceived += (_, e) => dataPlane.Keep(e.Data);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        logger.LogInformation("data plane pid {Pid} on {Url}", process.Id, url);
        try
        {
            await dataPlane.WaitReadyAsync(ct);
        }
        catch
        {
            await dataPlane.DisposeAsync();
            throw;
        }

        return dataPlane;
    }

    /// <summary>Every line the data plane wrote that contains one of the given texts (e.g. feed warnings), in order.</summary>
    public IReadOnlyList<string> Noted()
    {
        lock (_output)
        {
            return [.. _noted];
        }
    }

    /// <summary>Texts whose lines are kept in full (beyond the last few lines) for the report.</summary>
    public static IReadOnlyList<string> NotedTexts { get; } = ["starting over with a fresh snapshot", "resuming since epoch"];

    /// <summary>The last lines the data plane wrote, for error messages.</summary>
    public string RecentOutput()
    {
        lock (_output)
        {
            return string.Join(Environment.NewLine, _output);
        }
    }

    public async ValueTask DisposeAsync()
    {
        AppDomain.CurrentDomain.ProcessExit -= _onExit;
        Kill();
        using (var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10)))
        {
            try
            {
                await _process.WaitForExitAsync(timeout.Token);
            }
            catch (OperationCanceledException)
            {
                // reported by the caller's leak check; nothing more can be done
            }
        }

        _process.Dispose();
        if (!_ownsDirectory)
        {
            return;
        }

        try
        {
            Directory.Delete(_launch.ConfigDirectory, recursive: true);
        }
        catch (IOException)
        {
        }
    }

    private void Kill()
    {
        try
        {
            if (!_process.HasExited)
            {
                _process.Kill(entireProcessTree: true);
            }
        }
        catch (InvalidOperationException)
        {
        }
    }

    private void Keep(string? line)
    {
        if (line is null)
        {
            return;
        }

        lock (_output)
        {
            if (NotedTexts.Any(t => line.Contains(t, StringComparison.Ordinal)))
            {
                _noted.Add(line);
            }

            _output.Enqueue(line);
            while (_output.Count > OutputLinesKept)
            {
                _output.Dequeue();
            }
        }
    }

    private async Task WaitReadyAsync(CancellationToken ct)
    {
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(2) };
        try
        {
            await Eventually.UntilAsync(
                async () =>
                {
                    if (_process.HasExited)
                    {
                        throw new BenchSetupException($"the data plane exited with code {_process.ExitCode} before it was ready:{Environment.NewLine}{RecentOutput()}");
                    }

                    try
                    {
                        using var response = await http.GetAsync(new Uri(BaseUri, "/readyz"), ct);
                        return response.IsSuccessStatusCode;
                    }
                    catch (HttpRequestException)
                    {
                        return false;
                    }
                    catch (TaskCanceledException) when (!ct.IsCancellationRequested)
                    {
                        return false;
                    }
                },
                "the data plane answers /readyz with 200 (every feed has its snapshot)",
                TimeSpan.FromSeconds(90));
        }
        catch (TimeoutException e)
        {
            throw new BenchSetupException($"{e.Message}{Environment.NewLine}data plane output:{Environment.NewLine}{RecentOutput()}", e);
        }
    }
}
