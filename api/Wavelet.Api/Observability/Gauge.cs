using System.Text;

namespace Wavelet.Api.Observability;

/// <summary>A value that goes up and down, e.g. queue depth or open connections.</summary>
public sealed class Gauge : MetricFamily
{
    internal Gauge(string name, string help, IReadOnlyList<string> labelNames)
        : base(name, help, labelNames)
    {
    }

    internal override string TypeName => "gauge";

    public Child WithLabels(params string[] labelValues) => GetChild(labelValues, () => new Child());

    public void Set(double value) => WithLabels().Set(value);

    public void Inc(double amount = 1) => WithLabels().Inc(amount);

    public void Dec(double amount = 1) => WithLabels().Dec(amount);

    public double Value => WithLabels().Value;

    private protected override void WriteChild(StringBuilder text, string labels, object child) =>
        WriteSample(text, Name, labels, ((Child)child).Value);

    public sealed class Child
    {
        private AtomicDouble _value;

        public double Value => _value.Read();

        public void Set(double value) => _value.Set(value);

        public void Inc(double amount = 1) => _value.Add(amount);

        public void Dec(double amount = 1) => _value.Add(-amount);
    }
}
