namespace Wavelet.Api.Schema;

/// <summary>
/// A CEL rule (<c>x-kubernetes-validations</c>) the API server checks on the annotated object or field. Each rule mirrors
/// a check of <see cref="Validation.WaveletProjectValidator"/>, which re-checks everything without relying on the server.
/// </summary>
[AttributeUsage(AttributeTargets.Class | AttributeTargets.Property, AllowMultiple = true)]
public sealed class CelRuleAttribute(string rule, string message) : Attribute
{
    public string Rule { get; } = rule;
    public string Message { get; } = message;

    /// <summary>Optional JSONPath (relative to the annotated node) of the field the error is reported on, e.g. <c>.filterClaim</c>.</summary>
    public string? FieldPath { get; init; }
}
