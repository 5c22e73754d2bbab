namespace Wavelet.Deploy.Tests.Helm;

/// <summary>The parsed form of a Go template, restricted to what this chart uses.</summary>
internal abstract record TemplateNode;

internal sealed record TextNode(string Text) : TemplateNode;

internal sealed record OutputNode(string Pipeline) : TemplateNode;

internal sealed record IfNode(string Condition, IReadOnlyList<TemplateNode> Then, IReadOnlyList<TemplateNode> Else) : TemplateNode;

internal sealed record DefineNode(string Name, IReadOnlyList<TemplateNode> Body) : TemplateNode;
