using System.Net;
using System.Net.Sockets;
using Wavelet.Engine;

namespace Wavelet.Cli.Tests;

/// <summary>
/// Every shell command in README.md and docs/ is run exactly as written, from the repository root, so none can rot:
/// only the ports of servers the test starts are substituted (localhost:4566 for the local engine, localhost:8080 and
/// WAVELET_DEV_PORT for wavelet dev). Blocks that need a cluster have their repository paths checked; skipped blocks
/// must say why.
/// </summary>
[Collection(DevProcessCollection.Name)]
public sealed partial class DocsCommandsTests(ITestOutputHelper log)
{
    private static readonly string[] RepositoryFolders = ["api/", "charts/", "cli/", "crds/", "dataplane/", "docs/", "engine/", "examples/", "operator/", "scripts/", "tests/"];

    [Fact]
    public void Every_shell_block_says_how_it_is_checked_and_the_test_command_is_what_ci_runs()
    {
        var blocks = DocBlock.All();

        Assert.True(blocks.Count >= 15, $"found only {blocks.Count} blocks");
        Assert.All(blocks, b => Assert.True(b.Kind != "unmarked", $"{b}: add <!-- check: run|engine|background|dev <file>|cluster|skip <reason> --> above the block"));
        Assert.All(blocks.Where(b => b.Kind == "skip"), b => Assert.True(b.Argument.Length > 10, $"{b}: say why it is skipped"));
        Assert.All(blocks.Where(b => b.Kind == "dev"), b => Assert.Contains(blocks, o => o.Kind == "background" && o.Argument == b.Argument && o.File == b.File));
        var ci = Assert.Single(blocks, b => b.Kind == "ci");
        Assert.Equal("README.md", ci.File);
        Assert.Equal("bash scripts/test.sh", ci.Code.Trim());
        Assert.Contains("awk '/<!-- ci:test-command -->/{getline; getline; print; exit}' README.md", File.ReadAllText(RepositoryRoot.Combine(".ci", "run")), StringComparison.Ordinal);
    }

    [Fact]
    public void Cluster_blocks_name_only_files_and_folders_that_exist()
    {
        foreach (var block in DocBlock.All().Where(b => b.Kind == "cluster"))
        {
            foreach (var path in Tokens(block.Code).Where(t => RepositoryFolders.Any(f => t.StartsWith(f, StringComparison.Ordinal))))
            {
                Assert.True(File.Exists(RepositoryRoot.Combine(path)) || Directory.Exists(RepositoryRoot.Combine(path)), $"{block}: {path} does not exist");
            }
        }
    }

    [Fact]
    public async Task Run_blocks_run_from_the_repository_root()
    {
        foreach (var block in DocBlock.All().Where(b => b.Kind == "run"))
        {
            await RunToEndAsync(block, block.Code, []);
        }
    }

    [Fact]
    public async Task Engine_blocks_run_against_a_local_engine_on_the_port_they_name()
    {
        await using var engine = await LocalEngine.StartAsync(new LocalEngineOptions { BarrierInterval = TimeSpan.FromMilliseconds(100) });
        foreach (var block in DocBlock.All().Where(b => b.Kind == "engine"))
        {
            var dataPlanePort = FreePort.Pick();
            var code = block.Code.Replace("localhost:4566", $"127.0.0.1:{engine.Port}", StringComparison.Ordinal)
                .Replace("localhost:8080", $"127.0.0.1:{dataPlanePort}", StringComparison.Ordinal)
                .Replace("127.0.0.1:8080", $"127.0.0.1:{dataPlanePort}", StringComparison.Ordinal);
            await RunToEndAsync(block, code, []);
        }
    }

    [Fact]
    public async Task Background_blocks_start_serve_the_dev_blocks_beside_them_and_stop_on_ctrl_c()
    {
        var blocks = DocBlock.All();
        foreach (var server in blocks.Where(b => b.Kind == "background"))
        {
            var port = FreePort.Pick();
            var code = server.Code.Replace("--port 4566", $"--port {port}", StringComparison.Ordinal);
            var before = RootEntries();
            await using var run = ShellRun.Start(code, new Dictionary<string, string> { [Commands.DevCommand.PortVariable] = port.ToString(System.Globalization.CultureInfo.InvariantCulture) });
            try
            {
                await Eventually.UntilAsync(() => run.HasExited || run.Output.Contains("is live", StringComparison.Ordinal) || run.Output.Contains("listening on", StringComparison.Ordinal),
                    $"{server} is ready (dotnet run builds first)", TimeSpan.FromSeconds(300));
                Assert.False(run.HasExited, $"{server} exited early:\n{run.Output}");
                foreach (var client in blocks.Where(b => b.Kind == "dev" && b.Argument == server.Argument && b.File == server.File && server.Argument.Length > 0))
                {
                    var output = await RunToEndAsync(client, client.Code.Replace("localhost:8080", $"127.0.0.1:{port}", StringComparison.Ordinal), []);
                    Assert.DoesNotContain("\"error\"", output, StringComparison.Ordinal);
                }

                await run.InterruptAsync();
                Assert.True(await run.WaitForExitAsync(TimeSpan.FromSeconds(60)) == 0, $"{server} did not exit 0 on Ctrl-C:\n{run.Output}");
                log.WriteLine($"{server}: ok");
            }
            finally
            {
                RemoveNewEntries(before);
            }
        }
    }

    private async Task<string> RunToEndAsync(DocBlock block, string code, Dictionary<string, string> environment)
    {
        var before = RootEntries();
        try
        {
            await using var run = ShellRun.Start(code, environment);
            var exit = await run.WaitForExitAsync(TimeSpan.FromMinutes(5));
            Assert.True(exit == 0, $"{block} exited with {exit}:\n{code}\n---\n{run.Output}");
            log.WriteLine($"{block}: ok");
            return run.Output;
        }
        finally
        {
            RemoveNewEntries(before);
        }
    }

    private static HashSet<string> RootEntries() => [.. Directory.GetFileSystemEntries(RepositoryRoot.Path)];

    // Blocks may create files where a user would (wavelet init my-app, artifacts/): remove what a block added.
    private static void RemoveNewEntries(HashSet<string> before)
    {
        foreach (var entry in RootEntries().Where(e => !before.Contains(e) && Path.GetFileName(e) != "TestResults"))
        {
            if (Directory.Exists(entry))
            {
                Directory.Delete(entry, recursive: true);
            }
            else
            {
                File.Delete(entry);
            }
        }
    }

    private static IEnumerable<string> Tokens(string code) => TokenPattern().Matches(code).Select(m => m.Value.TrimEnd('.', ','));

    [GeneratedRegex(@"[\w./-]+")]
    private static partial Regex TokenPattern();

    /// <summary>bash running a doc block from the repository root in a process group of its own (so background jobs end with it).</summary>
    private sealed class ShellRun : IAsyncDisposable
    {
        private readonly Process _process;
        private readonly StringBuilder _output = new();

        private ShellRun(Process process) => _process = process;

        public bool HasExited => _process.HasExited;

        public string Output
        {
            get
            {
                lock (_output)
                {
                    return _output.ToString();
                }
            }
        }

        public static ShellRun Start(string code, Dictionary<string, string> environment)
        {
            var info = new ProcessStartInfo("setsid", ["bash", "-euo", "pipefail", "-c", code])
            {
                WorkingDirectory = RepositoryRoot.Path,
                RedirectStandardOutput = true,
                RedirectStandardError = true,
                RedirectStandardInput = true,
            };
            foreach (var name in new[] { "WAVELET_DATABASE_URL", "WAVELET_JWT_SECRET", Commands.DevCommand.PortVariable })
            {
                info.Environment.Remove(name);
            }

            foreach (var (name, value) in environment)
            {
                info.Environment[name] = value;
            }

            var run = new ShellRun(Process.Start(info)!);
            run._process.OutputDataReceived += (_, e) => run.Append(e.Data);
            run._process.ErrorDataReceived += (_, e) => run.Append(e.Data);
            run._process.BeginOutputReadLine();
            run._process.BeginErrorReadLine();
            return run;
        }

        private void Append(string? line)
        {
            if (line is not null)
            {
                lock (_output)
                {
                    _output.Append(line).Append('\n');
                }
            }
        }

        public Task InterruptAsync() => KillGroupAsync("-INT");

        /// <summary>Waits for bash itself (not for a background job that still holds its output open), then ends the group.</summary>
        public async Task<int> WaitForExitAsync(TimeSpan timeout)
        {
            await Eventually.UntilAsync(() => _process.HasExited, "the block finishes", timeout);
            var code = _process.ExitCode;
            await KillGroupAsync("-TERM");
            return code;
        }

        private async Task KillGroupAsync(string signal)
        {
            using var kill = Process.Start(new ProcessStartInfo("kill", [signal, "--", $"-{_process.Id}"]) { RedirectStandardError = true })!;
            await kill.StandardError.ReadToEndAsync();
            await kill.WaitForExitAsync();
        }

        /// <summary>Ends whatever the block left in its process group (a `... &` job), then waits for it to go.</summary>
        public async ValueTask DisposeAsync()
        {
            await KillGroupAsync("-TERM");
            try
            {
                await Eventually.UntilAsync(() => _process.HasExited, "the block's processes end", TimeSpan.FromSeconds(30));
            }
            catch (TimeoutException)
            {
                await KillGroupAsync("-KILL");
            }

            _process.Dispose();
        }
    }
}
