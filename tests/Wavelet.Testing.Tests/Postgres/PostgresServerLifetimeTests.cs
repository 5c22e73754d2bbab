using System.Globalization;
using System.Net;
using System.Net.Sockets;

namespace Wavelet.Testing.Tests.Postgres;

/// <summary>
/// A PostgreSQL server lives exactly as long as its owner: disposal stops it and removes its folder; an owner that is
/// killed, even with SIGKILL, leaves no PostgreSQL process and no folder; leftovers of owners that are gone are swept.
/// </summary>
public sealed class PostgresServerLifetimeTests
{
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(20);

    [Fact]
    public async Task Disposal_stops_the_server_and_removes_its_folder_before_it_returns()
    {
        var server = await PostgresServer.StartAsync();
        var folder = server.Folder;
        var pids = EngineProcess.PostgresPids(folder);
        Assert.Equal(Environment.ProcessId, ServerOwner.Read(folder)?.Pid);

        await server.DisposeAsync();

        Assert.False(Directory.Exists(folder), $"{folder} was left behind");
        Assert.DoesNotContain(pids, EngineProcess.IsRunning);
    }

    [Theory]
    [InlineData("KILL")]
    [InlineData("TERM")]
    [InlineData("INT")]
    public async Task The_standalone_engine_stopped_by_a_signal_leaves_no_postgres_process_and_no_folder(string signal)
    {
        await using var engine = EngineProcess.Start("--port", "0", "--barrier-ms", "1000");
        var folder = await engine.WaitUntilListeningAsync();
        var pids = EngineProcess.PostgresPids(folder);
        Assert.NotEmpty(pids);
        Assert.All(pids, pid => Assert.True(EngineProcess.IsRunning(pid), $"postgres {pid} runs"));

        await engine.SignalAsync(signal);

        var code = await engine.WaitForExitAsync(Deadline);
        if (signal != "KILL")
        {
            Assert.True(code == 0, $"exit code {code}:\n{engine.Output}");
            Assert.Contains("wavelet-engine: stopping", engine.Output, StringComparison.Ordinal);
        }

        await Eventually.UntilAsync(() => !pids.Any(EngineProcess.IsRunning) && !Directory.Exists(folder),
            $"after SIG{signal} the server's processes ({string.Join(", ", pids.Where(EngineProcess.IsRunning))} still run) and folder {folder} are gone",
            Deadline);
    }

    [Fact]
    public async Task A_busy_port_is_one_clear_line_and_exit_2_with_nothing_left_running()
    {
        using var busy = new TcpListener(IPAddress.Loopback, 0);
        busy.Start();
        var port = ((IPEndPoint)busy.LocalEndpoint).Port.ToString(CultureInfo.InvariantCulture);
        await using var engine = EngineProcess.Start("--port", port);

        var code = await engine.WaitForExitAsync(TimeSpan.FromSeconds(90));

        Assert.True(code == 2, $"exit code {code}:\n{engine.Output}");
        Assert.Contains($"wavelet-engine: port {port} is already in use", engine.Output, StringComparison.Ordinal);
        Assert.DoesNotContain("Exception", engine.Output, StringComparison.Ordinal);
        Assert.Empty(engine.OwnedFolders());
    }

    [Fact]
    public async Task Starting_a_server_sweeps_folders_whose_owner_is_gone_and_keeps_those_of_live_owners()
    {
        var dead = DeadPid();
        var orphan = Directory.CreateTempSubdirectory("wavelet-pg-").FullName;
        new ServerOwner(dead, 1, "").Write(orphan);
        var reused = Directory.CreateTempSubdirectory("wavelet-pg-").FullName;
        new ServerOwner(Environment.ProcessId, 1, "").Write(reused); // this PID, but another start time: a reused PID
        var live = Directory.CreateTempSubdirectory("wavelet-pg-").FullName;
        ServerOwner.Current().Write(live);
        try
        {
            await using var server = await PostgresServer.StartAsync();

            Assert.False(Directory.Exists(orphan), "the folder of a dead owner was swept");
            Assert.False(Directory.Exists(reused), "the folder of an owner whose PID was reused was swept");
            Assert.True(Directory.Exists(live), "the folder of a live owner was kept");
        }
        finally
        {
            foreach (var folder in new[] { orphan, reused, live }.Where(Directory.Exists))
            {
                Directory.Delete(folder, recursive: true);
            }
        }
    }

    [Fact]
    public async Task A_server_left_running_by_an_owner_that_is_gone_is_stopped_by_the_sweep()
    {
        // The owner and the watchdog both killed (e.g. a whole session killed at once): the server outlives them.
        await using var engine = EngineProcess.Start("--port", "0", "--barrier-ms", "1000");
        var folder = await engine.WaitUntilListeningAsync();
        var pids = EngineProcess.PostgresPids(folder);
        var watchdog = Watchdogs(engine.Pid, pids);
        using (var kill = Process.Start(new ProcessStartInfo("kill", ["-s", "KILL", .. watchdog.Select(p => p.ToString(CultureInfo.InvariantCulture))]))!)
        {
            await kill.WaitForExitAsync();
        }

        await engine.SignalAsync("KILL");
        await engine.WaitForExitAsync(Deadline);
        Assert.True(EngineProcess.IsRunning(pids[0]), "the server outlived its owner and watchdog");

        await using var server = await PostgresServer.StartAsync();

        Assert.False(Directory.Exists(folder), $"{folder} was swept");
        Assert.DoesNotContain(pids, EngineProcess.IsRunning);
    }

    /// <summary>Everything below the engine but the server itself: the watchdog script, its pipe watcher, runuser, setsid.</summary>
    private static List<int> Watchdogs(int engine, IReadOnlyList<int> postgres)
    {
        var result = new List<int>();
        var frontier = new Queue<int>([engine]);
        while (frontier.TryDequeue(out var parent))
        {
            foreach (var child in ProcFs.ChildrenOf(parent).Where(c => !postgres.Contains(c)))
            {
                result.Add(child);
                frontier.Enqueue(child);
            }
        }

        Assert.NotEmpty(result);
        return result;
    }

    private static int DeadPid()
    {
        using var done = Process.Start(new ProcessStartInfo("true"))!;
        done.WaitForExit();
        return done.Id;
    }
}
