using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;
using Wavelet.Api.Meta;
using Wavelet.DataPlane.Config;
using Wavelet.DataPlane.Hosting;
using Wavelet.Testing;

namespace Wavelet.Operator.Tests.EndToEnd;

/// <summary>
/// Plays the kubelet for the operator's Deployment: resolves the container env (secretKeyRef → Secret) and the mounted
/// ConfigMap file exactly as rendered, then runs the real data plane in process with them. A wrong Secret name or key,
/// env name, mount or config field fails here the way a pod would fail in a cluster.
/// </summary>
internal sealed class RenderedDataPlane : IAsyncDisposable
{
    private readonly WebApplication _app;

    private RenderedDataPlane(WebApplication app)
    {
        _app = app;
        BaseUri = new Uri(app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First());
        Http = new HttpClient { BaseAddress = BaseUri };
    }

    public Uri BaseUri { get; }

    public HttpClient Http { get; }

    public static async Task<RenderedDataPlane> StartAsync(OperatorHarness h, string deploymentName)
    {
        var deployment = h.Child("apps", "deployments", deploymentName) ?? throw new InvalidOperationException($"deployment {deploymentName} does not exist");
        var pod = deployment["spec"]!["template"]!["spec"]!;
        var container = pod["containers"]![0]!;
        var environment = await ResolveEnvAsync(h, container["env"]?.AsArray() ?? []);
        var config = ReadMountedConfig(h, pod, container, environment);

        // Drain delay 0: the pod's preStop sleep covers it in a cluster; here it would only slow the test's shutdown.
        var app = DataPlaneHost.Build(config, ["--urls", "http://127.0.0.1:0", "--DataPlane:DrainDelay", "00:00:00"], name => environment.GetValueOrDefault(name));
        await app.StartAsync();
        var plane = new RenderedDataPlane(app);
        await Eventually.UntilAsync(async () => (await plane.Http.GetAsync(new Uri("/readyz", UriKind.Relative))).IsSuccessStatusCode, "the data plane has every feed's snapshot");
        return plane;
    }

    private static async Task<Dictionary<string, string>> ResolveEnvAsync(OperatorHarness h, JsonArray env)
    {
        var resolved = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var entry in env)
        {
            var name = entry!["name"]!.GetValue<string>();
            if (entry["valueFrom"]?["secretKeyRef"] is { } reference)
            {
                var secretName = reference["name"]!.GetValue<string>();
                var key = reference["key"]!.GetValue<string>();
                var secret = await h.Secrets.GetAsync(OperatorHarness.Ns, secretName)
                    ?? throw new InvalidOperationException($"env {name}: Secret {secretName} does not exist (the kubelet would refuse to start the pod)");
                resolved[name] = secret.TryGetValue(key, out var value) ? value
                    : throw new InvalidOperationException($"env {name}: Secret {secretName} has no key {key} (the kubelet would refuse to start the pod)");
            }
            else
            {
                resolved[name] = entry["value"]?.GetValue<string>() ?? "";
            }
        }

        return resolved;
    }

    /// <summary>The file the data plane is told to load (its own env contract), found through the pod's mounts and volumes.</summary>
    private static Wavelet.Api.DataPlane.DataPlaneConfig ReadMountedConfig(OperatorHarness h, JsonNode pod, JsonNode container, Dictionary<string, string> environment)
    {
        var path = environment.GetValueOrDefault(DataPlaneHost.OperatorConfigVariable)
            ?? throw new InvalidOperationException($"the container does not set {DataPlaneHost.OperatorConfigVariable}");
        var mount = container["volumeMounts"]!.AsArray().Select(m => m!)
            .Single(m => path.StartsWith(m["mountPath"]!.GetValue<string>().TrimEnd('/') + "/", StringComparison.Ordinal));
        var fileName = path[(mount["mountPath"]!.GetValue<string>().TrimEnd('/').Length + 1)..];
        var volume = pod["volumes"]!.AsArray().Select(v => v!).Single(v => v["name"]!.GetValue<string>() == mount["name"]!.GetValue<string>());
        var configMapName = volume["configMap"]?["name"]?.GetValue<string>()
            ?? throw new InvalidOperationException($"{path} is not on a ConfigMap volume");
        var configMap = h.Child("v1", "configmaps", configMapName) ?? throw new InvalidOperationException($"ConfigMap {configMapName} does not exist");
        var json = configMap["data"]?[fileName]?.GetValue<string>()
            ?? throw new InvalidOperationException($"ConfigMap {configMapName} has no key {fileName}, so {path} would not exist in the pod");
        return ConfigLoader.Parse(json, path);
    }

    public async ValueTask DisposeAsync()
    {
        Http.Dispose();
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}
