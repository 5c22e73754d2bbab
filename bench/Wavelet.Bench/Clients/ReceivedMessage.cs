namespace Wavelet.Bench.Clients;

public enum MessageKind
{
    Other,
    Connected,
    Snapshot,
    Diff,
}

/// <summary>What the driver needs from one server message: its kind, the diff cursor, and the rows' write timestamps.</summary>
public readonly record struct ReceivedMessage(MessageKind Kind, string? Cursor, int Rows, int TimedRows);
