using System.Net;
using System.Net.Http.Headers;
using System.Net.Sockets;
using System.Net.WebSockets;

namespace Wavelet.Cli.Tests;

/// <summary>
/// `wavelet dev` as a user runs it, as a real process on the embedded default (the local engine): serve, follow the
/// file, survive an invalid edit, and stop everything on Ctrl-C or SIGTERM, checked by PID and path.
/// </summary>
[Collection(DevProcessCollection.Name)]
public sealed class DevCommandTests : IDisposable
{
    private readonly TempDirectory _directory = new();
    private readonly HttpClient _http = new() { Timeout = TimeSpan.FromSeconds(30) };

    public void Dispose()
    {
        _http.Dispose();
        _directory.Dispose();
    }

    [Fact]
    public async Task Dev_serves_the_example_streams_diffs_live_reloads_a_new_query_keeps_serving_through_an_invalid_edit_and_ctrl_c_leaves_nothing()
    {
        var yaml = await File.ReadAllTextAsync(RepositoryRoot.Combine("examples", "leaderboard.yaml"));
        var file = _directory.Write("leaderboard.yaml", yaml);
        await using var dev = DevProcess.Start(_directory.Path, "dev", "leaderboard.yaml", "--port", "0");
        await dev.WaitUntilLiveAsync();
        var url = dev.Url!;

        // curl of the query, with the dev token
        var token = await _http.GetStringAsync(new Uri(url, "/dev/token"));
        _http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        Assert.Equal("[]", (await GetJsonAsync(url, "/v1/queries/leaderboard")).GetProperty("rows").GetRawText());

        // a WebSocket client: snapshot, then a diff after an emitted event
        await using var socket = await LiveSocket.ConnectAsync(url, "leaderboard", token);
        Assert.Equal("connected", (await socket.ReceiveMessageAsync()).GetProperty("type").GetString());
        Assert.Equal(0, (await socket.ReceiveTypeAsync("snapshot")).GetProperty("rows").GetArrayLength());
        await EmitAsync(url, """{"player_id":"ada","score":42,"played_at":"2026-12-07T12:00:00Z"}""");
        var diff = await socket.ReceiveTypeAsync("diff");
        Assert.Equal("ada", diff.GetProperty("inserted")[0].GetProperty("player_id").GetString());
        Assert.Equal("42", (await GetJsonAsync(url, "/v1/queries/leaderboard")).GetProperty("rows")[0].GetProperty("total_score").GetString()); // SUM of int is bigint: a string, as upstream sends it

        // editing the YAML adds a query without dropping that client
        var mark = dev.Lines.Count;
        await File.WriteAllTextAsync(file, yaml.Replace("  auth:\n", """
                - name: top_player
                  sql: SELECT player_id, SUM(score) AS best FROM game_events GROUP BY player_id ORDER BY best DESC LIMIT 1
              auth:

            """, StringComparison.Ordinal));
        await dev.WaitForLineAsync(l => l.Contains("reloaded: queries leaderboard, top_player", StringComparison.Ordinal), "the added query is reloaded", skip: mark);
        Assert.Contains(dev.Lines.Skip(mark), l => System.Text.RegularExpressions.Regex.IsMatch(l, @"^CREATE\s+query\s+top_player"));
        await Eventually.UntilAsync(async () => (await _http.GetAsync(new Uri(url, "/v1/queries/top_player"))).StatusCode == HttpStatusCode.OK, "the new query answers");
        await EmitAsync(url, """{"player_id":"bob","score":7,"played_at":"2026-12-07T12:01:00Z"}""");
        Assert.Equal("bob", (await socket.ReceiveTypeAsync("diff")).GetProperty("inserted")[0].GetProperty("player_id").GetString());
        Assert.Equal(WebSocketState.Open, socket.Socket.State);

        // an invalid edit prints its error with the field path and the old config keeps serving
        mark = dev.Lines.Count;
        await File.WriteAllTextAsync(file, yaml.Replace("type: int", "type: integer", StringComparison.Ordinal));
        await dev.WaitForLineAsync(l => l.Contains("is invalid; still serving the previous version", StringComparison.Ordinal), "the invalid edit is reported", skip: mark);
        await dev.WaitForLineAsync(l => l.Contains("spec.events[0].columns[1].type", StringComparison.Ordinal), "the error names the field", skip: mark);
        Assert.Equal(HttpStatusCode.OK, (await _http.GetAsync(new Uri(url, "/v1/queries/top_player"))).StatusCode);
        await EmitAsync(url, """{"player_id":"cy","score":1,"played_at":"2026-12-07T12:02:00Z"}""");
        Assert.Equal("cy", (await socket.ReceiveTypeAsync("diff")).GetProperty("inserted")[0].GetProperty("player_id").GetString());

        // Ctrl-C: dev, PostgreSQL and its workers are gone, and so are their folders
        await AssertStopsCleanlyAsync(dev, () => dev.PressCtrlCAsync());
    }

    [Fact]
    public async Task Sigterm_stops_dev_and_everything_it_started()
    {
        _directory.Write("wavelet.yaml", Projects.Manifest(Projects.UniqueName("devterm")));
        await using var dev = DevProcess.Start(_directory.Path, "dev", "--port", "0");
        await dev.WaitUntilLiveAsync();

        await AssertStopsCleanlyAsync(dev, () => dev.SignalAsync("-TERM"));
    }

    [Fact]
    public async Task Sigkill_of_dev_leaves_no_postgres_process_and_no_postgres_folder()
    {
        _directory.Write("wavelet.yaml", Projects.Manifest(Projects.UniqueName("devkill")));
        await using var dev = DevProcess.Start(_directory.Path, "dev", "--port", "0");
        await dev.WaitUntilLiveAsync();
        var descendants = dev.Descendants();
        var folders = dev.PostgresFolders(descendants);
        Assert.Single(folders);
        Assert.NotEmpty(descendants);

        await dev.SignalAsync("-KILL");

        await dev.WaitForExitAsync(TimeSpan.FromSeconds(20));
        await Eventually.UntilAsync(() => !descendants.Any(DevProcess.IsRunning) && !folders.Any(Directory.Exists),
            $"the server's watchdog stopped everything dev started (still running: {string.Join(", ", descendants.Where(DevProcess.IsRunning))}) and removed {folders[0]}");
    }

    [Fact]
    public async Task A_busy_port_is_one_clear_line_and_exit_2_with_nothing_left_running()
    {
        using var busy = new TcpListener(IPAddress.Loopback, 0);
        busy.Start();
        var port = ((IPEndPoint)busy.LocalEndpoint).Port;
        _directory.Write("wavelet.yaml", Projects.Manifest(Projects.UniqueName("devbusy")));
        await using var dev = DevProcess.Start(_directory.Path, "dev", "--port", port.ToString(System.Globalization.CultureInfo.InvariantCulture));

        var code = await dev.WaitForExitAsync(TimeSpan.FromSeconds(90));

        Assert.True(code == ExitCodes.Usage, dev.Output);
        Assert.Contains($"wavelet: port {port} is already in use", dev.Output, StringComparison.Ordinal);
        Assert.Contains("wavelet dev: stopping", dev.Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_missing_file_and_an_invalid_first_version_fail_before_anything_starts()
    {
        await using var missing = DevProcess.Start(_directory.Path, "dev", "nope.yaml");
        Assert.Equal(ExitCodes.Failed, await missing.WaitForExitAsync(TimeSpan.FromSeconds(60)));
        Assert.Contains("nope.yaml", missing.Output, StringComparison.Ordinal);
        Assert.Contains("wavelet init", missing.Output, StringComparison.Ordinal);

        _directory.Write("bad.yaml", Projects.Manifest("bad").Replace("type: int", "type: integer", StringComparison.Ordinal));
        await using var invalid = DevProcess.Start(_directory.Path, "dev", "bad.yaml");
        Assert.Equal(ExitCodes.Failed, await invalid.WaitForExitAsync(TimeSpan.FromSeconds(60)));
        Assert.Contains("spec.events[0].columns[1].type", invalid.Output, StringComparison.Ordinal);
        Assert.DoesNotContain("local engine", invalid.Output, StringComparison.Ordinal);
    }

    private static async Task AssertStopsCleanlyAsync(DevProcess dev, Func<Task> stop)
    {
        var descendants = dev.Descendants();
        var folders = dev.PostgresFolders(descendants).Append(dev.WorkDirectory!).ToList();
        Assert.Contains(folders, f => f.Contains("wavelet-pg-", StringComparison.Ordinal));
        Assert.All(folders, f => Assert.True(Directory.Exists(f), f));
        Assert.NotEmpty(descendants);

        await stop();

        Assert.Equal(ExitCodes.Ok, await dev.WaitForExitAsync(TimeSpan.FromSeconds(60)));
        Assert.Contains("wavelet dev: stopping", dev.Output, StringComparison.Ordinal);
        await Eventually.UntilAsync(() => descendants.All(pid => !DevProcess.IsRunning(pid)),
            $"every process dev started has exited (still running: {string.Join(", ", descendants.Where(DevProcess.IsRunning))})");
        Assert.All(folders, f => Assert.False(Directory.Exists(f), $"{f} was left behind"));
    }

    private async Task<JsonElement> GetJsonAsync(Uri url, string path)
    {
        using var response = await _http.GetAsync(new Uri(url, path));
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.IsSuccessStatusCode, $"GET {path}: {(int)response.StatusCode} {body}");
        return JsonDocument.Parse(body).RootElement.Clone();
    }

    private async Task EmitAsync(Uri url, string json)
    {
        using var content = new StringContent(json, Encoding.UTF8, "application/json");
        using var response = await _http.PostAsync(new Uri(url, "/v1/events/game_events"), content);
        Assert.True(response.IsSuccessStatusCode, await response.Content.ReadAsStringAsync());
    }
}

/// <summary>dev processes each start a PostgreSQL server: one at a time keeps the suite within its 2-core budget.</summary>
[CollectionDefinition(Name)]
public sealed class DevProcessCollection
{
    public const string Name = "wavelet dev processes";
}
