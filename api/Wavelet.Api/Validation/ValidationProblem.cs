namespace Wavelet.Api.Validation;

/// <summary>One thing wrong with a manifest: where (a field path such as spec.queries[1].filterBy), what, and how to fix it.</summary>
public sealed record ValidationProblem(string Path, string Message, string? Hint = null)
{
    public override string ToString() => string.IsNullOrEmpty(Hint) ? $"{Path}: {Message}" : $"{Path}: {Message}; {Hint}";
}
