using k8s.Models;
using Wavelet.Api.Meta;

namespace Wavelet.Operator.Status;

/// <summary>Sets metav1.Conditions the Kubernetes way: lastTransitionTime moves only when status flips.</summary>
public static class ConditionSet
{
    public static void Set(List<V1Condition> conditions, string type, string status, string reason, string message, long? generation, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(conditions);
        var existing = conditions.Find(c => c.Type == type);
        if (existing is null)
        {
            conditions.Add(new V1Condition
            {
                Type = type, Status = status, Reason = reason, Message = Truncate(message), ObservedGeneration = generation, LastTransitionTime = now.UtcDateTime,
            });
            return;
        }

        if (existing.Status != status)
        {
            existing.LastTransitionTime = now.UtcDateTime;
        }

        existing.Status = status;
        existing.Reason = reason;
        existing.Message = Truncate(message);
        existing.ObservedGeneration = generation;
    }

    public static V1Condition? Find(IEnumerable<V1Condition>? conditions, string type) => conditions?.FirstOrDefault(c => c.Type == type);

    public static bool IsTrue(IEnumerable<V1Condition>? conditions, string type) => Find(conditions, type)?.Status == ConditionStatus.True;

    private static string Truncate(string message) => message.Length <= 32768 ? message : message[..32765] + "...";
}
