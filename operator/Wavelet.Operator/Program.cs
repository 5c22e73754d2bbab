using k8s;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Wavelet.Operator.Hosting;
using Wavelet.Operator.Kubernetes;

if (args is ["ddl", ..])
{
    // The DDL commands moved to the wavelet CLI; say where instead of failing on an unknown argument.
    await Console.Error.WriteLineAsync("wavelet-operator: ddl plan/sync moved to the wavelet command: wavelet plan <file> / wavelet push <file> (see docs/cli.md)");
    return 2;
}

var command = OperatorCommandLine.Create(async (flags, ct) =>
{
    try
    {
        await using var app = OperatorHostBuilder.Build(flags);
        _ = app.Services.GetRequiredService<KubernetesClientConfiguration>(); // no cluster: fail before anything starts
        await app.RunAsync();
        return 0;
    }
    catch (KubernetesConfigurationException e)
    {
        await Console.Error.WriteLineAsync($"wavelet-operator: {e.Message}");
        return 2;
    }
    catch (OptionsValidationException e)
    {
        await Console.Error.WriteLineAsync($"wavelet-operator: invalid settings: {string.Join("; ", e.Failures)}");
        return 2;
    }
    catch (InvalidOperationException e) when (e.Source == "Microsoft.Extensions.Configuration.Binder")
    {
        await Console.Error.WriteLineAsync($"wavelet-operator: invalid settings: {e.Message}");
        return 2;
    }
});

var parsed = command.Parse(args);
if (parsed.Errors.Count > 0)
{
    await Console.Error.WriteLineAsync($"wavelet-operator: {string.Join("; ", parsed.Errors.Select(e => e.Message))} (see --help)");
    return 2;
}

// The host handles SIGTERM itself (drain, release the Lease, exit 0); System.CommandLine must not race it.
return await parsed.InvokeAsync(new System.CommandLine.InvocationConfiguration { ProcessTerminationTimeout = null });
