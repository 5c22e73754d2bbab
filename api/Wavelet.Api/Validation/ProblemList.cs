namespace Wavelet.Api.Validation;

/// <summary>Collects problems while the validator walks a project.</summary>
internal sealed class ProblemList
{
    private readonly List<ValidationProblem> _problems = [];

    public IReadOnlyList<ValidationProblem> Items => _problems;

    public void Add(string path, string message, string? hint = null) => _problems.Add(new ValidationProblem(path, message, hint));

    public void Required(string path, string? value, string hint)
    {
        if (string.IsNullOrWhiteSpace(value))
        {
            Add(path, "is required", hint);
        }
    }

    /// <summary>Checks a name against the identifier rules; <paramref name="what"/> reads like "column name".</summary>
    public bool Identifier(string path, string? value, string what)
    {
        if (string.IsNullOrEmpty(value))
        {
            Add(path, "is required", $"set the {what}; " + IdentifierHint);
            return false;
        }

        if (!WaveletNames.IsValidIdentifier(value))
        {
            Add(path, $"\"{value}\" is not a valid {what}", value.Length > WaveletNames.MaxIdentifierLength ? "use at most 63 characters" : IdentifierHint);
            return false;
        }

        if (WaveletNames.IsReserved(value))
        {
            Add(path, $"\"{value}\" starts with the reserved prefix {WaveletNames.ReservedPrefix}", "choose a name that does not start with _wavelet");
            return false;
        }

        return true;
    }

    public void OneOf(string path, string? value, IReadOnlyList<string> allowed, string? what = null)
    {
        if (value is not null && !allowed.Contains(value, StringComparer.Ordinal))
        {
            Add(path, $"\"{value}\" is not a valid {what ?? "value"}", "use one of " + string.Join(", ", allowed));
        }
    }

    public void Range(string path, int? value, int min, int max)
    {
        if (value is { } number && (number < min || number > max))
        {
            Add(path, $"{number} is out of range", $"use a value from {min} to {max}");
        }
    }

    public const string IdentifierHint = "use lowercase letters, digits and underscores, starting with a letter or underscore (at most 63 characters)";
}
