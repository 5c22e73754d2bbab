namespace Wavelet.Testing.Kubernetes.Validation;

/// <summary>One rejected field, worded as kube-apiserver words it ("spec.replicas: Invalid value: 0: must be ...").</summary>
internal sealed record FieldError(string Field, string Reason, string Detail)
{
    public string Message => $"{Field}: {Detail}";

    public static FieldError Required(string field) => new(field, "FieldValueRequired", "Required value");

    public static FieldError Invalid(string field, string value, string why) => new(field, "FieldValueInvalid", $"Invalid value: {value}: {why}");

    public static FieldError Unsupported(string field, string value, IEnumerable<string> supported) =>
        new(field, "FieldValueNotSupported", $"Unsupported value: {value}: supported values: {string.Join(", ", supported)}");

    public static FieldError Duplicate(string field, string value) => new(field, "FieldValueDuplicate", $"Duplicate value: {value}");

    public static FieldError TooMany(string field, int count, long max) => new(field, "FieldValueTooMany", $"Too many: {count}: must have at most {max} items");
}
