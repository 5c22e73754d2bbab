using System.Text.Json;
using Wavelet.Operator.Ddl.Cli;
using Wavelet.Testing.RisingWave;

namespace Wavelet.Operator.Tests.Ddl;

public sealed class DdlCommandLineTests(RisingWaveFixture rw) : IClassFixture<RisingWaveFixture>, IDisposable
{
    private readonly string _directory = Directory.CreateTempSubdirectory("wavelet-ddl-cli-").FullName;

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    private string Manifest(string name, string extraColumn = "", bool allowDestructive = false)
    {
        var path = Path.Combine(_directory, $"{name}.yaml");
        File.WriteAllText(path, $$"""
            apiVersion: wavelet.risingwave.com/v1alpha1
            kind: WaveletProject
            metadata:
              name: {{name}}
              namespace: ci
            spec:
              risingwave:
                connectionSecretRef: {name: rw, key: url}
              events:
                - name: game_events
                  columns:
                    - {name: player, type: string}
            {{extraColumn}}
              queries:
                - name: leaderboard
                  sql: SELECT player, count(*) AS games FROM game_events GROUP BY player
              ddl:
                allowDestructiveChanges: {{(allowDestructive ? "true" : "false")}}
            """);
        return path;
    }

    private async Task<(int Code, string Out, string Err)> RunAsync(params string[] args)
    {
        var output = new StringWriter();
        var error = new StringWriter();
        var code = await DdlCommandLine.RunAsync(args, output, error, CancellationToken.None);
        return (code, output.ToString(), error.ToString());
    }

    [Fact]
    public async Task Plan_shows_the_changes_sync_applies_them_and_a_second_sync_reports_in_sync()
    {
        var file = Manifest(DdlTestProjects.UniqueName("cli"));

        var plan = await RunAsync("plan", "--file", file, "--database", rw.Url);
        Assert.Equal(0, plan.Code);
        Assert.Contains("CREATE  query", plan.Out, StringComparison.Ordinal);

        var sync = await RunAsync("sync", "--file", file, "--database", rw.Url);
        Assert.Equal(0, sync.Code);

        var again = await RunAsync("sync", "--file", file, "--database", rw.Url, "--json");
        Assert.Equal(0, again.Code);
        using var json = JsonDocument.Parse(again.Out);
        Assert.True(json.RootElement.GetProperty("inSync").GetBoolean());
        var columns = json.RootElement.GetProperty("queries")[0].GetProperty("columns").EnumerateArray().Select(c => c.GetProperty("name").GetString());
        Assert.Equal(["player", "games"], columns);
    }

    [Fact]
    public async Task Blocked_destructive_change_exits_3_with_the_reason()
    {
        var name = DdlTestProjects.UniqueName("cliblk");
        Assert.Equal(0, (await RunAsync("sync", "--file", Manifest(name, "        - {name: level, type: int}"), "--database", rw.Url)).Code);

        var blocked = await RunAsync("sync", "--file", Manifest(name), "--database", rw.Url);

        Assert.Equal(3, blocked.Code);
        Assert.Contains("BLOCKED", blocked.Out, StringComparison.Ordinal);
        Assert.Contains("drop column level", blocked.Out, StringComparison.Ordinal);
        Assert.Contains("allowDestructiveChanges", blocked.Err, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Unreachable_database_and_bad_arguments_fail_with_a_clear_message()
    {
        var file = Manifest(DdlTestProjects.UniqueName("clierr"));

        var unreachable = await RunAsync("sync", "--file", file, "--database", "postgres://root@127.0.0.1:1/dev");
        Assert.Equal(1, unreachable.Code);
        Assert.Contains("RisingWaveUnreachable", unreachable.Err, StringComparison.Ordinal);

        var usage = await RunAsync("push", "--file", file);
        Assert.Equal(2, usage.Code);
        Assert.Contains("plan or sync", usage.Err, StringComparison.Ordinal);

        var missing = await RunAsync("plan", "--file", Path.Combine(_directory, "nope.yaml"), "--database", rw.Url);
        Assert.Equal(1, missing.Code);
        Assert.Contains("nope.yaml", missing.Err, StringComparison.Ordinal);
    }
}
