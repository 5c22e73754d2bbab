namespace Wavelet.DataPlane.Events;

/// <summary>Writes validated event rows; one statement per call, so a batch is written whole or not at all.</summary>
public interface IEventWriter
{
    Task InsertAsync(string schema, string table, IReadOnlyList<TypedColumn> columns, IReadOnlyList<object?[]> rows, CancellationToken ct);
}

public sealed record TypedColumn(string Name, string Type);
