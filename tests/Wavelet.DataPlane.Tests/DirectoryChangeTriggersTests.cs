namespace Wavelet.DataPlane.Tests;

/// <summary>The production notification source against a real directory laid out like a mounted ConfigMap.</summary>
public sealed class DirectoryChangeTriggersTests : IDisposable
{
    private readonly KubernetesConfigDirectory _files = new();

    public void Dispose() => _files.Dispose();

    [Fact]
    public async Task A_data_symlink_swap_is_noticed_although_config_json_itself_never_changes()
    {
        _files.Write(new DataPlaneConfig { Project = "apps/one" });
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(20));
        await using var notifications = new DirectoryChangeTriggers().WatchAsync(_files.FilePath, cts.Token).GetAsyncEnumerator(cts.Token);
        var next = notifications.MoveNextAsync().AsTask();

        _files.Write(new DataPlaneConfig { Project = "apps/two" });

        Assert.True(await next);
        Assert.Contains("..", notifications.Current, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Watching_a_missing_directory_fails_instead_of_reporting_no_change()
    {
        var missing = Path.Combine(_files.Directory, "gone", DataPlaneConfig.FileName);
        await using var notifications = new DirectoryChangeTriggers().WatchAsync(missing, CancellationToken.None).GetAsyncEnumerator();

        var error = await Assert.ThrowsAnyAsync<Exception>(async () => await notifications.MoveNextAsync());

        Assert.Contains("gone", error.Message, StringComparison.Ordinal);
    }
}
