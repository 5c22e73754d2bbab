namespace Wavelet.Testing.Tests.Kubernetes;

/// <summary>Discovery (plain and aggregated), OpenAPI v2/v3 and Tables, as kubectl reads them.</summary>
public sealed class DiscoveryAndOpenApiTests : FakeApiTest
{
    private const string Aggregated = "application/json;g=apidiscovery.k8s.io;v=v2;as=APIGroupDiscoveryList,application/json";

    [Fact]
    public async Task Version_and_plain_discovery_list_the_built_in_groups()
    {
        Assert.Equal("1", (await Api.GetAsync("/version")).At("major"));
        Assert.Contains("\"v1\"", (await Api.GetAsync("/api")).At("versions"), StringComparison.Ordinal);
        var groups = await Api.GetAsync("/apis");
        Assert.Equal("APIGroupList", groups.At("kind"));
        Assert.Contains("\"apps/v1\"", groups.Text, StringComparison.Ordinal);
        var apps = await Api.GetAsync("/apis/apps/v1");
        Assert.Contains("\"name\":\"deployments/status\"", apps.Text, StringComparison.Ordinal);
        Assert.Equal(404, (await Api.GetAsync("/apis/example.com/v1")).Status);
    }

    [Fact]
    public async Task Aggregated_discovery_follows_installed_and_deleted_definitions()
    {
        var before = await Api.GetAsync("/apis", Aggregated);
        Assert.StartsWith("application/json;g=apidiscovery.k8s.io;v=v2;as=APIGroupDiscoveryList", before.ContentType.Replace(" ", "", StringComparison.Ordinal), StringComparison.Ordinal);
        Assert.DoesNotContain("example.com", before.Text, StringComparison.Ordinal);

        await Api.InstallWidgetsAsync();
        var after = await Api.GetAsync("/apis", Aggregated);
        Assert.Contains("\"resource\":\"widgets\"", after.Text, StringComparison.Ordinal);
        Assert.Contains("\"shortNames\":[\"wd\"]", after.Text, StringComparison.Ordinal);
        Assert.Contains("\"subresource\":\"status\"", after.Text, StringComparison.Ordinal);

        Assert.Equal(200, (await Api.DeleteAsync("/apis/apiextensions.k8s.io/v1/customresourcedefinitions/widgets.example.com")).Status);
        Assert.DoesNotContain("example.com", (await Api.GetAsync("/apis", Aggregated)).Text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task OpenApi_v3_describes_a_definition_by_group_version_kind_with_the_field_validation_parameter()
    {
        await Api.InstallWidgetsAsync();
        var index = await Api.GetAsync("/openapi/v3");
        var url = index.Body["paths"]!["apis/example.com/v1"]!["serverRelativeURL"]!.GetValue<string>();
        Assert.Contains("?hash=", url, StringComparison.Ordinal);

        var document = await Api.GetAsync(url);
        var schema = document.Body["components"]!["schemas"]!["com.example.v1.Widget"]!;
        Assert.Equal("Widget", schema["x-kubernetes-group-version-kind"]![0]!["kind"]!.GetValue<string>());
        Assert.Equal("How big the widget is.", schema["properties"]!["spec"]!["properties"]!["size"]!["description"]!.GetValue<string>());
        var patch = document.Body["paths"]!["/apis/example.com/v1/namespaces/{namespace}/widgets/{name}"]!["patch"]!;
        Assert.Contains(patch["parameters"]!.AsArray(), p => p!["name"]!.GetValue<string>() == "fieldValidation");
        Assert.Null(patch["requestBody"]!["content"]!["application/strategic-merge-patch+json"]);

        var core = await Api.GetAsync(index.Body["paths"]!["api/v1"]!["serverRelativeURL"]!.GetValue<string>());
        Assert.NotNull(core.Body["components"]!["schemas"]!["io.k8s.api.core.v1.Secret"]);
    }

    [Fact]
    public async Task OpenApi_v2_is_served_as_json_and_refused_when_only_protobuf_is_acceptable()
    {
        await Api.InstallWidgetsAsync();
        var json = await Api.GetAsync("/openapi/v2", "application/json");
        Assert.Equal("2.0", json.At("swagger"));
        Assert.NotNull(json.Body["definitions"]!["com.example.v1.Widget"]);
        Assert.Equal(406, (await Api.GetAsync("/openapi/v2", "application/com.github.proto-openapi.spec.v2@v1.0+protobuf")).Status);
    }

    [Fact]
    public async Task Tables_show_printer_columns_for_custom_resources_and_the_usual_columns_for_built_ins()
    {
        await Api.InstallWidgetsAsync();
        Assert.Equal(201, (await Api.PostAsync("/apis/example.com/v1/namespaces/default/widgets", """{"apiVersion":"example.com/v1","kind":"Widget","metadata":{"name":"w1"},"spec":{"size":3}}""")).Status);
        var table = await Api.GetAsync("/apis/example.com/v1/namespaces/default/widgets", "application/json;as=Table;v=v1;g=meta.k8s.io,application/json");
        Assert.Equal("Table", table.At("kind"));
        Assert.Equal(["Name", "Size", "Phase"], table.Body["columnDefinitions"]!.AsArray().Select(c => c!["name"]!.GetValue<string>()));
        Assert.Equal("[\"w1\",3,null]", table.Body["rows"]![0]!["cells"]!.ToJsonString());
        Assert.Equal("PartialObjectMetadata", table.At("rows.0.object.kind"));

        var namespaces = await Api.GetAsync("/api/v1/namespaces", "application/json;as=Table;v=v1;g=meta.k8s.io");
        Assert.Equal(["Name", "Status", "Age"], namespaces.Body["columnDefinitions"]!.AsArray().Select(c => c!["name"]!.GetValue<string>()));
        Assert.Equal("Active", namespaces.At("rows.0.cells.1"));
    }
}
