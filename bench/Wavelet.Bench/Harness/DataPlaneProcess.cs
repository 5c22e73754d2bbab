using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using Microsoft.Extensions.Logging;
using Wavelet.Api.DataPlane;
using Wavelet.Testing;

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
    private readonly string _configDirectory;
    private readonly EventHandler _onExit;

    private DataPlaneProcess(Process process, string configDirectory, Uri baseUri)
    {
        _process = process;
        _configDirectory = configDirectory;
        BaseUri = baseUri;
        _onExit = (_, _) => Kill();
        AppDomain.CurrentDomain.ProcessExit += _onExit;
    }

    public Uri BaseUri { get; }

    public int Pid => _process.Id;

    public static async Task<DataPlaneProcess> StartAsync(string dll, DataPlaneConfig config, IReadOnlyDictionary<string, string> environment, ILogger logger, CancellationToken ct, string? cpus = null)
    {
        var directory = Directory.CreateTempSubdirectory("wavelet-bench-");
        var configPath = Path.Combine(directory.FullName, DataPlaneConfig.FileName);
        await File.WriteAllTextAsync(configPath, JsonSerializer.Serialize(config, ConfigJson), ct);
        var port = FreePort.Pick();
        var url = $"http://127.0.0.1:{port.ToString(CultureInfo.InvariantCulture)}";
        // taskset execs the data plane in place, so the child's pid (CPU and RSS figures) stays the data plane's.
        var info = new ProcessStartInfo(cpus is null ? "dotnet" : "taskset")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        string[] pin = cpus is null ? [] : ["-c", cpus, "dotnet"];
        foreach (var argument in pin.Concat([dll, "--config", configPath, "--urls", url]))
        {
            info.ArgumentList.Add(argument);
        }

        info.Environment["ASPNETCORE_URLS"] = url;
        info.Environment["Logging__LogLevel__Default"] = "Warning";
        info.Environment["Logging__LogLevel__Microsoft.AspNetCore"] = "Warning";
        foreach (var (name, value) in environment)
        {
            info.Environment[name] = value;
        }

        var process = Process.Start(info) ?? throw new BenchSetupException($"could not start `dotnet {dll}`");
        var dataPlane = new DataPlaneProcess(process, directory.FullName, new Uri(url));
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
        try
        {
            Directory.Delete(_configDirectory, recursive: true);
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
