using System.Net;

namespace Wavelet.Testing.Kubernetes.Standalone;

/// <summary>
/// <c>kube-api</c>: the fake API server as a process, for trying kubectl, helm or the operator against it by hand.
/// Prints the URL and the kubeconfig it wrote, serves until cancelled, and removes a kubeconfig it chose itself.
/// </summary>
public static class KubeApiCommand
{
    public const string Usage =
        "usage: dotnet run --project tests/Wavelet.Testing -- kube-api [--port 6443] [--address 127.0.0.1] [--kubeconfig <file>] [--kubelet]\n" +
        "  --port        port to listen on (0 picks a free one; default 6443)\n" +
        "  --address     address to listen on (default 127.0.0.1)\n" +
        "  --kubeconfig  where to write the kubeconfig (default: a new file in the temp directory, removed on exit)\n" +
        "  --kubelet     mark every Deployment available, as a kubelet and the Deployment controller would";

    public static async Task<int> RunAsync(string[] args, TextWriter output, TextWriter error, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(args);
        ArgumentNullException.ThrowIfNull(output);
        ArgumentNullException.ThrowIfNull(error);
        var port = 6443;
        var address = IPAddress.Loopback;
        string? kubeconfig = null;
        var kubelet = false;
        for (var i = 0; i < args.Length; i++)
        {
            var value = i + 1 < args.Length ? args[i + 1] : null;
            switch (args[i])
            {
                case "--port" when int.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out var p) && p <= 65535:
                    port = p;
                    i++;
                    break;
                case "--address" when IPAddress.TryParse(value, out var a):
                    address = a;
                    i++;
                    break;
                case "--kubeconfig" when !string.IsNullOrEmpty(value):
                    kubeconfig = Path.GetFullPath(value);
                    i++;
                    break;
                case "--kubelet":
                    kubelet = true;
                    break;
                case "--help" or "-h":
                    await output.WriteLineAsync(Usage);
                    return 0;
                default:
                    await error.WriteLineAsync($"kube-api: unknown or incomplete argument {args[i]}\n{Usage}");
                    return 2;
            }
        }

        var ownKubeconfig = kubeconfig is null;
        kubeconfig ??= Path.Combine(Path.GetTempPath(), $"wavelet-kube-api-{Guid.NewGuid():N}.yaml");
        FakeKubernetesApiServer server;
        try
        {
            server = await FakeKubernetesApiServer.StartAsync(new FakeApiServerOptions { Port = port, Address = address }, cancellationToken);
        }
        catch (IOException ex)
        {
            await error.WriteLineAsync($"kube-api: cannot listen on {address}:{port}: {ex.Message} (choose another with --port, or --port 0 for a free one)");
            return 1;
        }

        await using (server)
        {
            server.WriteKubeconfig(kubeconfig);
            var running = kubelet ? server.StartKubelet() : null;
            try
            {
                await output.WriteLineAsync($"kube-api: serving {server.Url}");
                await output.WriteLineAsync($"kube-api: kubeconfig {kubeconfig}");
                await output.WriteLineAsync($"kube-api: try: kubectl --kubeconfig {kubeconfig} get namespaces");
                await output.FlushAsync(cancellationToken);
                try
                {
                    await Task.Delay(Timeout.Infinite, cancellationToken); // allowed: the standalone server runs until stopped
                }
                catch (OperationCanceledException)
                {
                }
            }
            finally
            {
                if (running is not null)
                {
                    await running.DisposeAsync();
                }

                if (ownKubeconfig)
                {
                    File.Delete(kubeconfig);
                }
            }
        }

        await output.WriteLineAsync("kube-api: stopped");
        return 0;
    }
}
