using Microsoft.Extensions.Logging.Abstractions;
using Wavelet.Bench.Cli;

namespace Wavelet.Bench.Tests;

/// <summary>The operator soak at CI size: projects churn under every API-server fault once; nothing unconverged or orphaned.</summary>
public class OperatorSoakTests
{
    [Fact]
    public async Task Operator_soak_under_api_server_faults_converges_every_project_and_leaves_no_orphan()
    {
        var settings = new BenchSettings { Size = BenchSize.Smoke, Scenarios = ["operator-soak"] };
        var report = (await BenchRunner.RunAsync(settings, NullLogger.Instance, _ => { }, CancellationToken.None)).Single();
        var figures = report.Figures;
        var why = report.ToMarkdown();

        // The faults really happened and the churn really ran, so the zeros below mean something.
        Assert.Equal(6, figures["faults"]);
        Assert.True(figures["requests_refused"] > 0, why);
        Assert.True(figures["leader_losses"] == 1 && figures["leader_changes_seen"] >= 1, why);
        Assert.True(figures["deleted"] > 0, why);

        Assert.True(figures["not_converged"] == 0, why);
        Assert.True(figures["orphan_engine_objects"] == 0, why);
        Assert.True(figures["orphan_kubernetes_children"] == 0, why);
    }
}
