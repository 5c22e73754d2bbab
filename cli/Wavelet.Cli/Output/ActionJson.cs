namespace Wavelet.Cli.Output;

/// <summary>A DDL action in the upstream `wavelet push --json` shape: {type, resource, name, detail}.</summary>
public sealed record ActionJson(string Type, string Resource, string Name, string? Detail)
{
    public static IReadOnlyList<ActionJson> From(IEnumerable<DdlAction> actions) =>
        [.. actions.Select(a => new ActionJson(a.Type, a.Resource, a.Name, a.Detail))];
}
