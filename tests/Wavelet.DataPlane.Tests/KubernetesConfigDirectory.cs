using System.Runtime.InteropServices;

namespace Wavelet.DataPlane.Tests;

/// <summary>
/// A temp directory laid out like a mounted ConfigMap: config.json → ..data/config.json, ..data → ..v&lt;n&gt;. Every write
/// goes to a new version directory and renames a ..data_tmp symlink over ..data, the atomic swap the kubelet does.
/// </summary>
internal sealed partial class KubernetesConfigDirectory : IDisposable
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);
    private int _version;

    public KubernetesConfigDirectory()
    {
        Directory = Path.Combine(Path.GetTempPath(), "wavelet-configmap-" + Guid.NewGuid().ToString("N")[..10]);
        System.IO.Directory.CreateDirectory(Directory);
    }

    public string Directory { get; }

    public string FilePath => Path.Combine(Directory, DataPlaneConfig.FileName);

    public static DataPlaneConfig Clone(DataPlaneConfig config) =>
        JsonSerializer.Deserialize<DataPlaneConfig>(JsonSerializer.Serialize(config, Json), Json)!;

    public void Write(DataPlaneConfig config) => WriteText(JsonSerializer.Serialize(config, Json));

    public void WriteText(string content)
    {
        var previous = _version == 0 ? null : Path.Combine(Directory, $"..v{_version}");
        var version = $"..v{++_version}";
        System.IO.Directory.CreateDirectory(Path.Combine(Directory, version));
        File.WriteAllText(Path.Combine(Directory, version, DataPlaneConfig.FileName), content);
        var temporary = Path.Combine(Directory, "..data_tmp");
        File.CreateSymbolicLink(temporary, version);
        if (Rename(temporary, Path.Combine(Directory, "..data")) != 0)
        {
            throw new IOException($"rename of ..data_tmp over ..data failed: errno {Marshal.GetLastPInvokeError()}");
        }

        if (previous is null)
        {
            File.CreateSymbolicLink(FilePath, "..data/" + DataPlaneConfig.FileName);
        }
        else
        {
            System.IO.Directory.Delete(previous, recursive: true);
        }
    }

    public void Dispose() => System.IO.Directory.Delete(Directory, recursive: true);

    // rename(2) replaces the ..data symlink atomically; File.Move refuses a symlink to a directory.
    [DllImport("libc", EntryPoint = "rename", SetLastError = true)]
    private static extern int Rename([MarshalAs(UnmanagedType.LPUTF8Str)] string from, [MarshalAs(UnmanagedType.LPUTF8Str)] string to);
}
