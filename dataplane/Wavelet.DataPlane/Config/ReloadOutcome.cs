namespace Wavelet.DataPlane.Config;

public enum ReloadOutcome
{
    /// <summary>The file has the content last seen (applied or rejected): nothing to do.</summary>
    Unchanged,

    /// <summary>The new content is valid and now serves.</summary>
    Applied,

    /// <summary>The new content cannot be used; the previous config keeps serving.</summary>
    Failed,
}
