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
}
