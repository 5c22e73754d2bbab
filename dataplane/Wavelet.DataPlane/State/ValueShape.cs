namespace Wavelet.DataPlane.State;

/// <summary>How row values are written as JSON (config <c>valueShape</c>; docs/api.md has the table).</summary>
public enum ValueShape
{
    /// <summary>What upstream Wavelet sends: node-postgres's parsed values after JSON.stringify (bigint and numeric as strings).</summary>
    Upstream,

    /// <summary>As <see cref="Upstream"/>, but bigint and numeric as JSON numbers.</summary>
    Numbers,
}

public static class ValueShapeNames
{
    /// <summary>The config's name for a shape; the loader has already rejected anything else.</summary>
    public static ValueShape Parse(string? name) => name == "Numbers" ? ValueShape.Numbers : ValueShape.Upstream;
}
