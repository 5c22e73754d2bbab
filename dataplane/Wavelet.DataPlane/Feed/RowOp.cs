namespace Wavelet.DataPlane.Feed;

public enum RowOp
{
    Insert,
    Delete,
    UpdateInsert,
    UpdateDelete,
}

/// <summary>RisingWave's <c>op</c> column: varchar names since 2.0, smallints 1..4 before.</summary>
public static class RowOps
{
    public static RowOp Parse(object value) => value switch
    {
        string s => s switch
        {
            "Insert" => RowOp.Insert,
            "Delete" => RowOp.Delete,
            "UpdateInsert" => RowOp.UpdateInsert,
            "UpdateDelete" => RowOp.UpdateDelete,
            _ => throw new FormatException($"unknown op '{s}'"),
        },
        short or int or long => Convert.ToInt64(value, System.Globalization.CultureInfo.InvariantCulture) switch
        {
            1 => RowOp.Insert,
            2 => RowOp.Delete,
            3 => RowOp.UpdateInsert,
            4 => RowOp.UpdateDelete,
            var n => throw new FormatException($"unknown op {n}"),
        },
        _ => throw new FormatException($"unknown op value of type {value.GetType().Name}"),
    };

    /// <summary>Whether the row is added to the current state (else removed).</summary>
    public static bool Adds(this RowOp op) => op is RowOp.Insert or RowOp.UpdateInsert;
}
