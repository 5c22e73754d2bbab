using System.Runtime.CompilerServices;
using System.Threading.Channels;

namespace Wavelet.DataPlane.Config;

/// <summary>
/// File-system notifications for the config file's directory. Kubernetes updates a mounted ConfigMap by writing a new
/// timestamped directory and renaming a <c>..data_tmp</c> symlink over <c>..data</c>; the file itself (a symlink into
/// <c>..data</c>) never changes, so the whole directory is watched, not the file.
/// </summary>
public sealed class DirectoryChangeTriggers : IConfigChangeTriggers
{
    public async IAsyncEnumerable<string> WatchAsync(string path, [EnumeratorCancellation] CancellationToken ct)
    {
        var directory = Path.GetDirectoryName(Path.GetFullPath(path))!;
        var notifications = Channel.CreateBounded<string>(new BoundedChannelOptions(16) { FullMode = BoundedChannelFullMode.DropOldest });
        using var watcher = new FileSystemWatcher(directory)
        {
            NotifyFilter = NotifyFilters.FileName | NotifyFilters.DirectoryName | NotifyFilters.LastWrite | NotifyFilters.CreationTime | NotifyFilters.Size,
        };
        watcher.Created += (_, e) => notifications.Writer.TryWrite($"created {e.Name}");
        watcher.Changed += (_, e) => notifications.Writer.TryWrite($"changed {e.Name}");
        watcher.Deleted += (_, e) => notifications.Writer.TryWrite($"deleted {e.Name}");
        watcher.Renamed += (_, e) => notifications.Writer.TryWrite($"renamed {e.OldName} to {e.Name}");
        watcher.Error += (_, e) => notifications.Writer.TryComplete(
            new IOException($"watching '{directory}' failed: {e.GetException().Message}", e.GetException()));
        watcher.EnableRaisingEvents = true;

        await foreach (var notification in notifications.Reader.ReadAllAsync(ct))
        {
            yield return notification;
        }
    }
}
