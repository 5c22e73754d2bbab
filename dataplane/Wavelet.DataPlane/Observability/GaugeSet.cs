using System.Globalization;
using System.Text;

namespace Wavelet.DataPlane.Observability;

/// <summary>A gauge whose labelled values are read at scrape time.</summary>
public sealed class GaugeSet : IMetric
{
    private readonly string _name;
    private readonly string _help;
    private readonly string[] _labels;
    private readonly Func<IEnumerable<(string[] Labels, double Value)>> _read;

    public GaugeSet(string name, string help, string[] labels, Func<IEnumerable<(string[] Labels, double Value)>> read)
    {
        _name = name;
        _help = help;
        _labels = labels;
        _read = read;
    }

    public void WriteTo(StringBuilder text)
    {
        text.Append("# HELP ").Append(_name).Append(' ').Append(_help).Append('\n');
        text.Append("# TYPE ").Append(_name).Append(" gauge\n");
        foreach (var (labels, value) in _read())
        {
            text.Append(_name).Append(PrometheusText.Labels(_labels, labels)).Append(' ')
                .Append(value.ToString("R", CultureInfo.InvariantCulture)).Append('\n');
        }
    }
}
