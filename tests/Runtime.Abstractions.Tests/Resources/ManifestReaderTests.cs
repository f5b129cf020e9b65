using System.Text.Json;
using Runtime.Abstractions.Resources;
using Runtime.Abstractions.Validation;

namespace Runtime.Abstractions.Tests.Resources;

public class ManifestReaderTests
{
    private const string Route = """
        apiVersion: networking.istio.io/v1
        kind: VirtualService
        metadata:
          name: reviews
        spec:
          hosts: [reviews]
          http:
            - route:
                - destination: {host: reviews}
        """;

    [Fact]
    public void Read_NoNamespace_UsesDefaultNamespaceThenDefault()
    {
        Assert.Equal("prod", ManifestReader.Read(Route, "-", "prod").Resources[0].Metadata.Namespace);
        Assert.Equal("default", ManifestReader.Read(Route, "-").Resources[0].Metadata.Namespace);
    }

    [Fact]
    public void Read_JsonObject_ReadsResource()
    {
        const string Json = """{"apiVersion":"security.istio.io/v1","kind":"PeerAuthentication","metadata":{"name":"default","namespace":"prod"},"spec":{"mtls":{"mode":"STRICT"}}}""";

        var result = ManifestReader.Read(Json, "pa.json");

        Assert.Empty(result.Issues);
        Assert.Equal("STRICT", result.Resources[0].Spec.GetProperty("mtls").GetProperty("mode").GetString());
    }

    [Fact]
    public void Read_JsonArrayAndKubernetesList_ReadEveryItem()
    {
        const string Item = """{"apiVersion":"security.istio.io/v1","kind":"PeerAuthentication","metadata":{"name":"NAME"},"spec":{}}""";
        var array = $"[{Item.Replace("NAME", "a")},{Item.Replace("NAME", "b")}]";
        const string ConfigMap = """{"apiVersion":"v1","kind":"ConfigMap","metadata":{"name":"c"}}""";
        var list = "{\"apiVersion\":\"v1\",\"kind\":\"List\",\"items\":[" + Item.Replace("NAME", "a") + "," + Item.Replace("NAME", "b") + "," + ConfigMap + "]}";

        Assert.Equal(["a", "b"], ManifestReader.Read(array, "a.json").Resources.Select(r => r.Metadata.Name));
        var fromList = ManifestReader.Read(list, "l.json");
        Assert.Equal(["a", "b"], fromList.Resources.Select(r => r.Metadata.Name));
        Assert.Equal(IssueSeverity.Warning, Assert.Single(fromList.Issues).Severity);
    }

    [Fact]
    public void Read_JsonWithTabs_FallsBackToJsonParser()
    {
        var json = "{\n\t\"apiVersion\": \"security.istio.io/v1\",\n\t\"kind\": \"PeerAuthentication\",\n\t\"metadata\": {\"name\": \"x\"}\n}";

        var result = ManifestReader.Read(json, "tabs.json");

        Assert.False(result.HasErrors, string.Join("\n", result.Issues));
        Assert.Single(result.Resources);
    }

    [Fact]
    public void Read_CoreSchemaScalars_TypedAsWritten()
    {
        const string Yaml = """
            apiVersion: networking.istio.io/v1
            kind: ServiceEntry
            metadata: {name: e, resourceVersion: 42, labels: {v: "1"}}
            spec:
              hosts: ["1.5", 'true', ~]
              ports: [{number: 0x50, name: "null"}]
            """;

        var result = ManifestReader.Read(Yaml, "-");

        var spec = result.Resources[0].Spec;
        Assert.Equal(JsonValueKind.String, spec.GetProperty("hosts")[0].ValueKind);
        Assert.Equal(JsonValueKind.String, spec.GetProperty("hosts")[1].ValueKind);
        Assert.Equal(JsonValueKind.Null, spec.GetProperty("hosts")[2].ValueKind);
        Assert.Equal(80, spec.GetProperty("ports")[0].GetProperty("number").GetInt32());
        Assert.Equal(42, result.Resources[0].Metadata.ResourceVersion);
        Assert.Contains(result.Issues, i => i.Path == "spec.hosts[2]");
    }

    [Fact]
    public void Read_EmptyAndCommentOnlyDocuments_AreSkipped()
    {
        var result = ManifestReader.Read($"# only a comment\n---\n---\n{Route}\n---\n# trailing\n", "-");

        Assert.Empty(result.Issues);
        Assert.Single(result.Resources);
    }

    [Fact]
    public void Read_TabIndentation_ReportsOneSyntaxErrorWithLine()
    {
        var result = ManifestReader.Read("apiVersion: v1\nkind: Service\nmetadata:\n\tname: x\n", "tabs.yaml");

        var issue = Assert.Single(result.Issues);
        Assert.Contains("YAML syntax error", issue.Message);
        Assert.True(issue.Line == 4, issue.ToString());
        Assert.Contains("tabs", issue.Fix);
    }

    [Fact]
    public void Read_AnchorsAndAliases_AreExpanded()
    {
        const string Yaml = """
            apiVersion: networking.istio.io/v1
            kind: DestinationRule
            metadata: {name: r}
            spec:
              host: r
              subsets:
                - name: v1
                  labels: &labels {app: r}
                - name: v2
                  labels: *labels
            """;

        var result = ManifestReader.Read(Yaml, "-");

        Assert.Empty(result.Issues);
        Assert.Equal("r", result.Resources[0].Spec.GetProperty("subsets")[1].GetProperty("labels").GetProperty("app").GetString());
    }

    [Fact]
    public void Read_UnusedMetadataFields_WarnAndIgnore()
    {
        var result = ManifestReader.Read(Route.Replace("  name: reviews", "  name: reviews\n  managedFields: []"), "-");

        var issue = Assert.Single(result.Issues);
        Assert.Equal(IssueSeverity.Warning, issue.Severity);
        Assert.Equal("metadata.managedFields", issue.Path);
    }

    [Fact]
    public void Read_IstioKindWithWrongVersion_SuggestsServedVersion()
    {
        var result = ManifestReader.Read(Route.Replace("networking.istio.io/v1", "networking.istio.io/v1alpha1"), "-");

        var issue = Assert.Single(result.Issues);
        Assert.Equal("use apiVersion: networking.istio.io/v1", issue.Fix);
        Assert.Empty(result.Resources);
    }

    [Fact]
    public void Validate_BuiltResource_ReportsSpecErrors()
    {
        var resource = new MeshResource
        {
            ApiVersion = "networking.istio.io/v1",
            Kind = "VirtualService",
            Metadata = new ObjectMeta { Name = "r", Namespace = "prod" },
            Spec = JsonDocument.Parse("""{"hosts":["r"],"http":[{"route":[{"destination":{"host":"r"},"weight":-1}]}]}""").RootElement.Clone(),
        };

        var issue = Assert.Single(ManifestReader.Validate(resource));

        Assert.Equal("spec.http[0].route[0].weight", issue.Path);
        Assert.Equal("prod", issue.Namespace);
    }
}
