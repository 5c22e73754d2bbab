namespace Wavelet.Testing.Tools;

/// <summary>A test that runs the real helm/kubectl; skipped with how to get them when they cannot be fetched.</summary>
public sealed class KubeToolsFactAttribute : FactAttribute
{
    public KubeToolsFactAttribute()
    {
        if (KubeTools.UnavailableReason is { } reason)
        {
            Skip = reason;
        }
    }
}

/// <summary>The theory form of <see cref="KubeToolsFactAttribute"/>.</summary>
public sealed class KubeToolsTheoryAttribute : TheoryAttribute
{
    public KubeToolsTheoryAttribute()
    {
        if (KubeTools.UnavailableReason is { } reason)
        {
            Skip = reason;
        }
    }
}
