namespace Wavelet.Bench.Tests;

public class ProcFsTests
{
    [Fact]
    public void Cpu_time_is_read_after_a_command_name_with_spaces()
    {
        var stat = "1234 (my (odd) proc) S 1 1234 1234 0 -1 4194560 100 0 0 0 250 50 0 0 20 0 10 0 100 1000 200";

        Assert.Equal(TimeSpan.FromSeconds(3), ProcFs.ParseCpuTime(stat));
    }

    [Fact]
    public void Rss_is_read_from_the_status_file_in_bytes()
    {
        Assert.Equal(2048L * 1024, ProcFs.ParseRssBytes(["Name:\tdotnet", "VmRSS:\t    2048 kB", "Threads:\t9"]));
        Assert.Throws<InvalidOperationException>(() => ProcFs.ParseRssBytes(["Name:\tzombie"]));
    }

    [Fact]
    public void Machine_busy_time_excludes_idle_and_iowait()
    {
        var (busy, total) = ProcFs.ParseMachineJiffies("cpu  100 0 50 800 50 0 0 0 0 0");

        Assert.Equal(150, busy);
        Assert.Equal(1000, total);
    }

    [Fact]
    public void This_process_has_cpu_time_and_resident_memory()
    {
        var sample = ProcFs.ReadProcess(Environment.ProcessId, TimeProvider.System);

        Assert.True(sample.RssBytes > 1024 * 1024, $"RSS {sample.RssBytes}");
        Assert.True(sample.CpuTime > TimeSpan.Zero);
    }

    [Fact]
    public void A_listening_socket_is_found_by_its_port_in_proc_net_tcp()
    {
        const string listen = "   1: 00000000:1F90 00000000:0000 0A 00000000:00000000 00:00000000 00000000     0        0 123456 1 0000000000000000 100 0 0 10 0";
        const string established = "   2: 0100007F:1F90 0100007F:C350 01 00000000:00000000 00:00000000 00000000     0        0 654321 1 0000000000000000 20 4 30 10 -1";

        Assert.Equal("123456", ProcFs.ListeningInode(listen, 8080));
        Assert.Null(ProcFs.ListeningInode(listen, 8081));
        Assert.Null(ProcFs.ListeningInode(established, 8080));
    }

    [Fact]
    public void The_gc_a_dotnet_process_runs_is_told_by_its_thread_names()
    {
        Assert.Equal("server GC (2 heaps)", ProcFs.DescribeGc([".NET Server GC", ".NET Server GC", ".NET TP Worker", "dotnet"]));
        Assert.Equal("workstation GC", ProcFs.DescribeGc([".NET BGC", ".NET TP Worker", "dotnet"]));
        Assert.Null(ProcFs.DescribeGc(["node", "libuv-worker"]));
    }

    [Fact]
    public void This_process_is_found_listening_on_its_port_and_its_gc_is_named()
    {
        using var listener = new System.Net.Sockets.TcpListener(System.Net.IPAddress.Loopback, 0);
        listener.Start();

        Assert.Equal(Environment.ProcessId, ProcFs.ListeningPid(((System.Net.IPEndPoint)listener.LocalEndpoint).Port));
        Assert.EndsWith("GC", ProcFs.GcOf(Environment.ProcessId) ?? "", StringComparison.Ordinal);
    }
}
