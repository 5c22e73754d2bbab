using System.Runtime.InteropServices;
using Wavelet.Testing.Kubernetes.Standalone;

// Standalone test tools. `kube-api` serves the fake Kubernetes API server until Ctrl+C or SIGTERM.
if (args is not ["kube-api", ..])
{
    Console.Error.WriteLine("usage: dotnet run --project tests/Wavelet.Testing -- kube-api [options]   (kube-api --help for the options)");
    return 2;
}

using var stop = new CancellationTokenSource();
using var sigint = PosixSignalRegistration.Create(PosixSignal.SIGINT, context =>
{
    context.Cancel = true;
    stop.Cancel();
});
using var sigterm = PosixSignalRegistration.Create(PosixSignal.SIGTERM, context =>
{
    context.Cancel = true;
    stop.Cancel();
});
return await KubeApiCommand.RunAsync(args[1..], Console.Out, Console.Error, stop.Token);
