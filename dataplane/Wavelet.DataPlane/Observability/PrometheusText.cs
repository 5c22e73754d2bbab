using System.Text;

namespace Wavelet.DataPlane.Observability;

/// <summary>Prometheus text exposition helpers (format 0.0.4).</summary>
public static class PrometheusText
{
    public const string ContentType = "text/plain; version=0.0.4; charset=utf-8";

    public static string Labels(string[] names, string[] values)
    {
        if (names.Length == 0)
        {
            return "";
        }

        var text = new StringBuilder("{");
        for (var i = 0; i < names.Length; i++)
        {
            if (i > 0)
            {
                text.Append(',');
            }

            text.Append(names[i]).Append("=\"").Append(Escape(i < values.Length ? values[i] : "")).Append('"');
        }

        return text.Append('}').ToString();
    }

    private static string Escape(string value) => value.Replace("\\", "\\\\", StringComparison.Ordinal).Replace("\"", "\\\"", StringComparison.Ordinal).Replace("\n", "\\n", StringComparison.Ordinal);
}
