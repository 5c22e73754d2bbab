using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Text;
using Wavelet.Testing;

namespace Wavelet.Cluster.Tests;

/// <summary>
/// The operator as its users run it out of cluster: the real Wavelet.Operator process with KUBECONFIG pointing at the
/// backend, watching one namespace, without leader election. Stopped with SIGTERM.
/// </summary>
public sealed class OperatorProcess : IAsyncDisposable
{
    private readonly Process _process;
    private readonly StringBuilder _log = new();

    private OperatorProcess(Process process)
    {
        _process = process;
        process.OutputDataReceived += (_, e) => Append(e.Data);
        process.ErrorDataReceived += (_, e) => Append(e.Data);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
    }

    /// <summary>Everything the operator printed so far (for failure messages).</summary>
    public string Log
    {
        get
        {
            lock (_log)
            {
                return _log.ToString();
            }
        }
    }

    public static async Task<OperatorProcess> StartAsync(string kubeconfig, string watchNamespace, string dataPlaneImage)
    {
        var port = FreePort.Pick();
        var dll = Path.Combine(AppContext.BaseDirectory, "Wavelet.Operator.dll");
        var start = new ProcessStartInfo("dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var argument in new[]
        {
            dll, "--leader-elect", "false", "--health-port", Text(port), "--metrics-port", Text(port),
            "--watch-namespaces", watchNamespace, "--data-plane-image", dataPlaneImage, "--resync-period", "1m",
        })
        {
            start.ArgumentList.Add(argument);
        }

        start.Environment["KUBECONFIG"] = kubeconfig;
        var process = new OperatorProcess(Process.Start(start) ?? throw new InvalidOperationException("could not start the operator"));
        using var http = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{port}") };
        await Eventually.UntilAsync(
            async () =>
            {
                if (process._process.HasExited)
                {
                    throw new InvalidOperationException($"the operator exited with {process._process.ExitCode}:\n{process.Log}");
                }

                try
                {
                    return (await http.GetAsync(new Uri("/readyz", UriKind.Relative))).StatusCode == HttpStatusCode.OK;
                }
                catch (HttpRequestException)
                {
                    return false;
                }
            },
            "the operator answers /readyz");
        return process;
    }

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            using (var kill = Process.Start("kill", ["-TERM", Text(_process.Id)]))
            {
                await kill.WaitForExitAsync();
            }

            using var exit = new CancellationTokenSource(TimeSpan.FromSeconds(30));
            try
            {
                await _process.WaitForExitAsync(exit.Token);
            }
            catch (OperationCanceledException)
            {
                _process.Kill(entireProcessTree: true);
            }
        }

        _process.Dispose();
    }

    private void Append(string? line)
    {
        if (line is not null)
        {
            lock (_log)
            {
                _log.AppendLine(line);
            }
        }
    }

    private static string Text(int value) => value.ToString(CultureInfo.InvariantCulture);
}
