using Wavelet.Operator.Status;

namespace Wavelet.Operator.Tests.Status;

public sealed class ConditionTests
{
    private static readonly DateTimeOffset T0 = new(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);

    [Fact]
    public void Transition_time_moves_only_when_status_flips()
    {
        var conditions = new List<V1Condition>();
        ConditionSet.Set(conditions, "Ready", "False", "RollingOut", "1 of 2", 1, T0);
        ConditionSet.Set(conditions, "Ready", "False", "RollingOut", "2 of 2", 2, T0.AddMinutes(1));
        Assert.Equal(T0, conditions[0].LastTransitionTime);
        Assert.Equal((2L, "2 of 2"), (conditions[0].ObservedGeneration!.Value, conditions[0].Message));
        ConditionSet.Set(conditions, "Ready", "True", "Available", "ok", 2, T0.AddMinutes(2));
        Assert.Equal(T0.AddMinutes(2), conditions[0].LastTransitionTime);
    }

    [Fact]
    public void Equal_status_is_detected_so_it_is_not_rewritten()
    {
        var a = new WaveletProjectStatus { ObservedGeneration = 1, Endpoint = "http://x" };
        ConditionSet.Set(a.Conditions, "Ready", "True", "Available", "ok", 1, T0);
        var b = StatusComparer.Clone(a);
        Assert.True(StatusComparer.AreEqual(a, b));
        ConditionSet.Set(b.Conditions, "Ready", "True", "Available", "ok", 1, T0.AddHours(1));
        Assert.True(StatusComparer.AreEqual(a, b));
        b.ReadyReplicas = 1;
        Assert.False(StatusComparer.AreEqual(a, b));
    }

    [Fact]
    public void Every_condition_reason_is_camel_case_and_documented()
    {
        var doc = RepositoryRoot.ReadAllText("docs", "design", "operator.md");
        var fields = typeof(ConditionReasons).GetFields().Where(f => f.IsLiteral).Select(f => (string)f.GetRawConstantValue()!).ToList();
        Assert.Equal(fields.Order(), ConditionReasons.All.Order());
        foreach (var reason in fields)
        {
            Assert.Matches("^[A-Z][A-Za-z]+$", reason);
            Assert.Contains($"`{reason}`", doc, StringComparison.Ordinal);
        }
    }
}
