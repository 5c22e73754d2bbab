using Wavelet.Cluster.Tests.Backends;
using Wavelet.Engine;

namespace Wavelet.Cluster.Tests;

/// <summary>
/// Everything the scenarios share on one backend: the cluster, a RisingWave (the local engine, or
/// WAVELET_TEST_RISINGWAVE_URL), the CRD installed as the chart's NOTES say, a namespace for projects, and the operator
/// process watching it. kubectl and helm get their own cache directories, removed at the end.
/// </summary>
public abstract class ClusterSession : IAsyncLifetime
{
    public const string CrdName = "waveletprojects.wavelet.risingwave.com";

    private string _workDirectory = "";
    private LocalEngine? _engine;
    private OperatorProcess? _operator;

    public IClusterBackend Backend { get; private set; } = null!;

    /// <summary>Namespace the scenarios' projects live in (the operator watches only this one).</summary>
    public string Namespace { get; } = $"wavelet-scenarios-{Guid.NewGuid().ToString("N")[..6]}";

    /// <summary>The RisingWave URL projects' connection Secrets carry.</summary>
    public string RisingWaveUrl { get; private set; } = "";

    public string OperatorLog => _operator?.Log ?? "";

    protected abstract Task<IClusterBackend> StartBackendAsync();

    protected abstract bool Enabled { get; }

    public async Task InitializeAsync()
    {
        if (!Enabled)
        {
            return;
        }

        _workDirectory = Directory.CreateTempSubdirectory("wavelet-cluster-tools-").FullName;
        Backend = await StartBackendAsync();
        if (RealCluster.RisingWaveUrl is { } url)
        {
            RisingWaveUrl = url;
        }
        else
        {
            _engine = await LocalEngine.StartAsync(new LocalEngineOptions { BarrierInterval = TimeSpan.FromMilliseconds(20) });
            RisingWaveUrl = _engine.Url;
        }

        var shell = new ScenarioShell(this, null);
        (await shell.KubectlAsync("apply", "--server-side", "-f", RepositoryRoot.Combine("crds", $"{CrdName}.yaml"))).EnsureSuccess();
        (await shell.KubectlAsync("wait", "--for=condition=Established", $"crd/{CrdName}", "--timeout=60s")).EnsureSuccess();
        (await shell.KubectlAsync("create", "namespace", Namespace)).EnsureSuccess();
        var image = Environment.GetEnvironmentVariable(RealCluster.DataPlaneImageVariable) is { Length: > 0 } configured ? configured : "ghcr.io/risingwavelabs/wavelet-dataplane:0.1.0";
        _operator = await OperatorProcess.StartAsync(Backend.Kubeconfig, Namespace, image);
    }

    public async Task DisposeAsync()
    {
        if (!Enabled)
        {
            return;
        }

        try
        {
            if (_operator is not null)
            {
                await _operator.DisposeAsync();
            }

            if (!Backend.IsFake)
            {
                await new ScenarioShell(this, null).KubectlAsync("delete", "namespace", Namespace, "--wait=false", "--ignore-not-found");
            }
        }
        finally
        {
            await Backend.DisposeAsync();
            if (_engine is not null)
            {
                await _engine.DisposeAsync();
            }

            Directory.Delete(_workDirectory, recursive: true);
        }
    }

    /// <summary>kubectl's discovery cache for this session (so runs never share or leave a cache in the home directory).</summary>
    internal string KubectlCacheDirectory => Path.Combine(_workDirectory, "kubectl-cache");

    /// <summary>HELM_CACHE_HOME, HELM_CONFIG_HOME, HELM_DATA_HOME and the discovery cache (KUBECACHEDIR) for this session.</summary>
    internal IReadOnlyDictionary<string, string> HelmEnvironment => new Dictionary<string, string>
    {
        ["KUBECACHEDIR"] = KubectlCacheDirectory,
        ["HELM_CACHE_HOME"] = Path.Combine(_workDirectory, "helm-cache"),
        ["HELM_CONFIG_HOME"] = Path.Combine(_workDirectory, "helm-config"),
        ["HELM_DATA_HOME"] = Path.Combine(_workDirectory, "helm-data"),
    };
}

/// <summary>The scenarios on the fake API server.</summary>
public sealed class FakeClusterSession : ClusterSession
{
    protected override bool Enabled => KubeTools.UnavailableReason is null;

    protected override async Task<IClusterBackend> StartBackendAsync() => await FakeBackend.StartAsync();
}

/// <summary>The scenarios on a real cluster (an existing one, or K3s in Docker).</summary>
public sealed class RealClusterSession : ClusterSession
{
    protected override bool Enabled => KubeTools.UnavailableReason is null && RealCluster.UnavailableReason is null;

    protected override Task<IClusterBackend> StartBackendAsync() => RealCluster.StartAsync();
}
