namespace Wavelet.Testing.Tests.Kubernetes;

/// <summary>What the server does with a custom resource against its CRD: prune, default, validate, CEL rules, storedVersions.</summary>
public sealed class CustomResourceValidationTests : FakeApiTest
{
    private const string Widgets = "/apis/example.com/v1/namespaces/default/widgets";

    public override async Task InitializeAsync()
    {
        await base.InitializeAsync();
        await Api.InstallWidgetsAsync();
    }

    [Fact]
    public async Task The_definition_reports_Established_and_its_stored_versions()
    {
        var crd = await Api.GetAsync("/apis/apiextensions.k8s.io/v1/customresourcedefinitions/widgets.example.com");
        Assert.Equal("[\"v1\"]", crd.At("status.storedVersions"));
        Assert.Contains("\"type\":\"Established\",\"status\":\"True\"", crd.Text.Replace("\"lastTransitionTime\"", "\"x\"", StringComparison.Ordinal), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Defaults_are_filled_and_unknown_fields_pruned_with_a_warning()
    {
        var created = await Api.PostAsync(Widgets, Widget("w", """{"size":2,"bogus":true,"extra":{"kept":1}}"""));
        Assert.Equal(201, created.Status);
        Assert.Equal("10", created.At("spec.max"));
        Assert.Equal("red", created.At("spec.color"));
        Assert.Null(created.At("spec.bogus"));
        Assert.Equal("1", created.At("spec.extra.kept"));
        Assert.Contains(created.Warnings, w => w.Contains("unknown field \\\"spec.bogus\\\"", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Strict_field_validation_refuses_unknown_fields()
    {
        var refused = await Api.PostAsync(Widgets + "?fieldValidation=Strict", Widget("w", """{"size":2,"bogus":true}"""));
        Assert.Equal(400, refused.Status);
        Assert.Contains("strict decoding error: unknown field \"spec.bogus\"", refused.At("message"), StringComparison.Ordinal);
        Assert.Equal(404, (await Api.GetAsync(Widgets + "/w")).Status);
    }

    [Fact]
    public async Task Schema_violations_are_listed_with_the_api_servers_wording()
    {
        var refused = await Api.PostAsync(Widgets, Widget("w", """{"size":0,"color":"green","name":"Bad","parts":[{"name":"a"},{"name":"a"},{"count":1}]}"""));
        Assert.Equal(422, refused.Status);
        var message = refused.At("message")!;
        Assert.StartsWith("Widget.example.com \"w\" is invalid: [", message, StringComparison.Ordinal);
        Assert.Contains("spec.size: Invalid value: 0: spec.size in body should be greater than or equal to 1", message, StringComparison.Ordinal);
        Assert.Contains("spec.color: Unsupported value: \"green\": supported values: \"red\", \"blue\"", message, StringComparison.Ordinal);
        Assert.Contains("spec.name: Invalid value: \"Bad\": spec.name in body should match '^[a-z]+$'", message, StringComparison.Ordinal);
        Assert.Contains("spec.parts[2].name: Required value", message, StringComparison.Ordinal);
        Assert.Contains("spec.parts[1]: Duplicate value", message, StringComparison.Ordinal);
        Assert.Contains(refused.Body["details"]!["causes"]!.AsArray(), c => c!["field"]!.GetValue<string>() == "spec.size");
    }

    [Fact]
    public async Task Cel_rules_are_evaluated_and_transition_rules_only_on_update()
    {
        var tooBig = await Api.PostAsync(Widgets, Widget("w", """{"size":11}"""));
        Assert.Equal(422, tooBig.Status);
        Assert.Contains("spec.size: Invalid value: \"object\": size must not exceed max", tooBig.At("message"), StringComparison.Ordinal);

        Assert.Equal(201, (await Api.PostAsync(Widgets, Widget("w", """{"size":3,"color":"blue"}"""))).Status);
        var recolored = await Api.PatchAsync(Widgets + "/w", """{"spec":{"color":"red"}}""", "application/merge-patch+json");
        Assert.Equal(422, recolored.Status);
        Assert.Contains("color is immutable", recolored.At("message"), StringComparison.Ordinal);
        Assert.Equal(200, (await Api.PatchAsync(Widgets + "/w", """{"spec":{"size":4}}""", "application/merge-patch+json")).Status);
    }

    [Fact]
    public async Task Strategic_merge_patch_on_a_custom_resource_is_unsupported_media_type()
    {
        Assert.Equal(201, (await Api.PostAsync(Widgets, Widget("w", """{"size":3}"""))).Status);
        Assert.Equal(415, (await Api.PatchAsync(Widgets + "/w", """{"spec":{"size":4}}""", "application/strategic-merge-patch+json")).Status);
    }

    private static string Widget(string name, string spec) => $$"""{"apiVersion":"example.com/v1","kind":"Widget","metadata":{"name":"{{name}}"},"spec":{{spec}}}""";
}
