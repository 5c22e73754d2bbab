using System.Text;

namespace Wavelet.Api.Observability;

/// <summary>A monotonically increasing count, e.g. requests served.</summary>
public sealed class Counter : MetricFamily
{
    internal Counter(string name, string help, IReadOnlyList<string> labelNames)
        : base(name, help, labelNames)
    {
    }

    internal override string TypeName => "counter";

    /// <summary>The child for these label values (in the order of the label names).</summary>
    public Child WithLabels(params string[] labelValues) => GetChild(labelValues, () => new Child());

    /// <summary>Increment the unlabelled counter.</summary>
    public void Inc(double amount = 1) => WithLabels().Inc(amount);

    private protected override void WriteChild(StringBuilder text, string labels, object child) =>
        WriteSample(text, Name, labels, ((Child)child).Value);

    public sealed class Child
    {
        private AtomicDouble _value;

        public double Value => _value.Read();

        public void Inc(double amount = 1)
        {
            if (amount < 0 || double.IsNaN(amount))
            {
                throw new ArgumentOutOfRangeException(nameof(amount), amount, "a counter only goes up; use a gauge for values that fall");
            }

            _value.Add(amount);
        }
    }
}
