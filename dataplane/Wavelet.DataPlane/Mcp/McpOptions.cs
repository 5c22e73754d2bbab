namespace Wavelet.DataPlane.Mcp;

/// <summary>Host settings of the MCP endpoint (configuration section <c>DataPlane:Mcp</c>); whether it is on is per project, in the config file.</summary>
public sealed class McpOptions
{
    public const string Section = "DataPlane:Mcp";

    /// <summary>How often subscribed resources are checked for changes: at most one update notification per resource and session per interval.</summary>
    public TimeSpan NotifyInterval { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>Rows read_query returns when the call names no limit.</summary>
    public int DefaultReadLimit { get; set; } = 100;

    /// <summary>Largest limit read_query accepts.</summary>
    public int MaxReadLimit { get; set; } = 1000;
}
