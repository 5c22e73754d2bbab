namespace Wavelet.Api.Schema;

/// <summary>
/// Marks a list of named items as <c>x-kubernetes-list-type: map</c> keyed by the given fields, so server-side apply
/// merges items by key instead of replacing the whole list.
/// </summary>
[AttributeUsage(AttributeTargets.Property)]
public sealed class ListMapKeysAttribute(params string[] keys) : Attribute
{
    public IReadOnlyList<string> Keys { get; } = keys;
}
