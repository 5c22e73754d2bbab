using k8s.Autorest;
using Microsoft.AspNetCore.Builder;

namespace Wavelet.Operator.Tests.EndToEnd;

/// <summary>A fake API server plus one or more real operator hosts (in process) talking to it, and a test "kubelet".</summary>
public sealed class OperatorHarness : IAsyncDisposable
{
    public const string Ns = "apps";
    private readonly List<WebApplication> _operators = [];

    private OperatorHarness(FakeKubernetesApiServer server, k8s.Kubernetes client)
    {
        Server = server;
        Client = client;
        Projects = new TestObjects<WaveletProject>(client);
        Secrets = new TestObjects<V1Secret>(client);
    }

    public FakeKubernetesApiServer Server { get; }

    public k8s.Kubernetes Client { get; }

    public TestObjects<WaveletProject> Projects { get; }

    public TestObjects<V1Secret> Secrets { get; }

    public static async Task<OperatorHarness> StartAsync()
    {
        var server = await FakeKubernetesApiServer.StartAsync();
        server.CreateNamespace(Ns);
        return new OperatorHarness(server, server.CreateClient());
    }

    /// <summary>Starts an operator host; returns it so a test can stop it (leader hand-over) or read its metrics.</summary>
    public async Task<WebApplication> StartOperatorAsync(
        bool leaderElection = false, string resync = "00:00:02", string? identity = null, string? token = null, string? watchNamespaces = null,
        Action<IServiceCollection>? services = null)
    {
        var args = new List<string>
        {
            "--health-port", "0", "--metrics-port", "0", "--leader-elect", leaderElection ? "true" : "false",
            "--resync-period", resync, "--data-plane-image", "wavelet/dataplane:test", "--lease-namespace", Ns,
        };
        if (watchNamespaces is not null)
        {
            args.AddRange(["--watch-namespaces", watchNamespaces]);
        }

        if (identity is not null)
        {
            args.AddRange(["--identity", identity]);
        }

        var configuration = Server.CreateClientConfiguration();
        if (token is not null)
        {
            // Lets a test tell the operator's requests apart from its own in the server's request log.
            configuration.AccessToken = token;
        }

        var app = OperatorHostBuilder.Build([.. args], s =>
        {
            s.AddSingleton(configuration);
            services?.Invoke(s);
        });
        await app.StartAsync();
        _operators.Add(app);
        return app;
    }

    public static OperatorMetrics Metrics(WebApplication app) => app.Services.GetRequiredService<OperatorMetrics>();

    /// <summary>The sum of one series' samples as /metrics would show them (0 when it has none).</summary>
    public static async Task<double> ScrapeAsync(WebApplication app, string name, params (string Label, string Value)[] labels) =>
        PrometheusText.Parse(await Metrics(app).Exposition.RenderAsync(CancellationToken.None)).Sum(name, labels);

    public Task CreateSecretAsync(string name, string key, string value) =>
        Secrets.CreateAsync(new V1Secret { Metadata = new V1ObjectMeta { Name = name, NamespaceProperty = Ns }, StringData = new Dictionary<string, string> { [key] = value } });

    public async Task<WaveletProject> GetProjectAsync(string name) =>
        await Projects.GetAsync(Ns, name) ?? throw new InvalidOperationException($"project {name} is gone");

    public async Task UpdateSpecAsync(string name, Action<WaveletProjectSpec> change)
    {
        await Eventually.UntilAsync(async () =>
        {
            var project = await GetProjectAsync(name);
            change(project.Spec);
            try
            {
                await Projects.ReplaceAsync(project);
                return true;
            }
            catch (HttpOperationException e) when (e.IsConflict())
            {
                return false;
            }
        }, $"the spec of {name} is updated");
    }

    public static V1Condition? Condition(WaveletProject project, string type) => project.Status?.Conditions.Find(c => c.Type == type);

    /// <summary>Waits until the named condition has the status and reason; returns the project.</summary>
    public Task<WaveletProject> WaitForConditionAsync(string name, string type, string status, string? reason = null) =>
        Eventually.ValueAsync(async () =>
        {
            var project = await Projects.GetAsync(Ns, name);
            var condition = project is null ? null : Condition(project, type);
            return condition is not null && condition.Status == status && (reason is null || condition.Reason == reason) ? project : null;
        }, $"{name} has {type}={status}{(reason is null ? "" : " " + reason)}");

    public JsonObject? Child(string groupOrApiVersion, string plural, string name) => Server.GetObject(groupOrApiVersion, plural, Ns, name);

    /// <summary>The test kubelet: marks the Deployment's pods rolled out and available.</summary>
    public void MarkDeploymentAvailable(string name)
    {
        if (!Server.MarkDeploymentAvailable(Ns, name))
        {
            throw new InvalidOperationException($"deployment {name} does not exist");
        }
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var app in _operators)
        {
            await app.StopAsync();
            await app.DisposeAsync();
        }

        Client.Dispose();
        await Server.DisposeAsync();
    }
}
