using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using Wavelet.Api.Meta;
using Wavelet.Api.V1Alpha1;
using Wavelet.Operator.Reconciliation;
using Wavelet.Operator.Tests.EndToEnd;
using Wavelet.Testing;
using Wavelet.Testing.RisingWave;

namespace Wavelet.Operator.Tests.Reconciliation;

/// <summary>The controller gives a key woken up by its children a child-only pass.</summary>
public sealed class ChildOnlyPassEndToEndTests(RisingWaveFixture rw) : IClassFixture<RisingWaveFixture>, IAsyncLifetime
{
    private OperatorHarness _h = null!;
    private DdlSessionFactory _factory = null!;

    public async Task InitializeAsync()
    {
        _h = await OperatorHarness.StartAsync();
        await _h.CreateSecretAsync("rw", "url", rw.Url);
        _factory = new DdlSessionFactory(NullLoggerFactory.Instance);
    }

    public async Task DisposeAsync()
    {
        await _h.DisposeAsync();
        await _factory.DisposeAsync();
    }

    [Fact]
    public async Task Rollout_and_a_deleted_child_are_handled_without_reopening_the_RisingWave_session()
    {
        var sessions = new CountingDdlSessions(_factory);
        await _h.StartOperatorAsync(resync: "01:00:00", services: s => s.AddSingleton<IDdlSessionFactory>(sessions));
        var name = EndToEndProjects.UniqueName("quiet");
        await _h.Projects.CreateAsync(EndToEndProjects.Leaderboard(name));
        await _h.WaitForConditionAsync(name, ConditionTypes.DdlSynced, ConditionStatus.True);

        _h.MarkDeploymentAvailable($"{name}-wavelet");
        await _h.WaitForConditionAsync(name, ConditionTypes.Ready, ConditionStatus.True);
        Assert.True(_h.Server.DeleteObject("v1", "configmaps", OperatorHarness.Ns, $"{name}-wavelet-config"));
        await Eventually.UntilAsync(() => _h.Child("v1", "configmaps", $"{name}-wavelet-config") is not null, "the ConfigMap is recreated");

        Assert.Equal(1, sessions.Opened);
    }
}
