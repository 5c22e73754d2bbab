using System.Globalization;
using Wavelet.DataPlane.Feed;
using Wavelet.DataPlane.State;

namespace Wavelet.Bench.Micro;

/// <summary>One epoch's rows spread evenly over the tenants, with the columns the load driver uses.</summary>
public static class EpochData
{
    public static readonly string[] Columns = ["tenant", "slot", "written_at", "payload"];

    public static string Tenant(int i) => "t" + i.ToString(CultureInfo.InvariantCulture);

    public static List<Change> Changes(int rows, int tenants, RowOp op) =>
        [.. Enumerable.Range(0, rows).Select(i => new Change(op, new Row(Columns, [Tenant(i % tenants), i / tenants, 1_700_000_000_000_000L + i, "payload-0123456789"])))];
}
