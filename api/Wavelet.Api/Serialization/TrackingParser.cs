using YamlDotNet.Core;
using YamlDotNet.Core.Events;

namespace Wavelet.Api.Serialization;

/// <summary>
/// Wraps YamlDotNet's parser so that every failure, including the InvalidOperationException its scanner throws on some
/// malformed input, surfaces as a <see cref="YamlException"/> at the last position read.
/// </summary>
internal sealed class TrackingParser(IParser inner) : IParser
{
    private Mark _last = Mark.Empty;

    public ParsingEvent? Current => inner.Current;

    public bool MoveNext()
    {
        try
        {
            var moved = inner.MoveNext();
            if (inner.Current is { } current)
            {
                _last = current.End;
            }

            return moved;
        }
        catch (InvalidOperationException e)
        {
            throw new YamlException(_last, _last, "the YAML ends inside an unclosed [ ], { } or quoted value, or is otherwise not well-formed", e);
        }
    }
}
