using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Wavelet.DataPlane.Config;
using Wavelet.DataPlane.Hosting;

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
        var management = app.Services.GetRequiredService<ManagementListener>().Port
            ?? throw new InvalidOperationException("the rendered pod has no separate management port");
        BaseUri = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.Select(a => new Uri(a)).First(a => a.Port != management);
        Http = new HttpClient { BaseAddress = BaseUri };
        Management = new HttpClient { BaseAddress = new UriBuilder(BaseUri) { Port = management }.Uri };
    }

    public Uri BaseUri { get; }

    public HttpClient Http { get; }

    /// <summary>The management listener the pod's probes use.</summary>
    public HttpClient Management { get; }

    public static async Task<RenderedDataPlane> StartAsync(OperatorHarness h, string deploymentName)
    {
        var deployment = h.Child("apps", "deployments", deploymentName) ?? throw new InvalidOperationException($"deployment {deploymentName} does not exist");
        var pod = deployment["spec"]!["template"]!["spec"]!;
        var container = pod["containers"]![0]!;
        var environment = await ResolveEnvAsync(h, container["env"]?.AsArray() ?? []);
        var config = ReadMountedConfig(h, pod, container, environment);
        CheckProbePort(container, environment);

        // A pod has its own ports; in process a fixed one would clash between tests, so the listener picks a free one.
        environment[Wavelet.Api.DataPlane.DataPlaneEnvironment.ManagementPort] = "0";

        // Drain delay 0: the pod's preStop sleep covers it in a cluster; here it would only slow the test's shutdown.
        var app = DataPlaneHost.Build(config, ["--urls", "http://127.0.0.1:0", "--DataPlane:DrainDelay", "00:00:00"], name => environment.GetValueOrDefault(name));
        await app.StartAsync();
        var plane = new RenderedDataPlane(app);
        await Eventually.UntilAsync(async () => (await plane.Management.GetAsync(new Uri("/readyz", UriKind.Relative))).IsSuccessStatusCode, "the data plane has every feed's snapshot");
        return plane;
    }

    /// <summary>The readiness probe's named port must be the container port the data plane's management listener is told to use.</summary>
    private static void CheckProbePort(JsonNode container, Dictionary<string, string> environment)
    {
        var portName = container["readinessProbe"]!["httpGet"]!["port"]!.GetValue<string>();
        var port = container["ports"]!.AsArray().Select(p => p!).SingleOrDefault(p => p["name"]?.GetValue<string>() == portName)
            ?? throw new InvalidOperationException($"the readiness probe uses port {portName}, which the container does not declare");
        var configured = environment.GetValueOrDefault(Wavelet.Api.DataPlane.DataPlaneEnvironment.ManagementPort);
        if (configured != port["containerPort"]!.GetValue<int>().ToString(System.Globalization.CultureInfo.InvariantCulture))
        {
            throw new InvalidOperationException($"the readiness probe uses container port {port["containerPort"]}, but {Wavelet.Api.DataPlane.DataPlaneEnvironment.ManagementPort} is '{configured}'");
        }
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
        Management.Dispose();
        Http.Dispose();
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}
