using System.Text.Json;
using Runtime.Abstractions.Resources;

namespace Runtime.Abstractions.Tests.Resources;

public class ManifestWriterTests
{
    private static readonly MeshResource Resource = new()
    {
        ApiVersion = "networking.istio.io/v1",
        Kind = "VirtualService",
        Metadata = new ObjectMeta
        {
            Name = "r",
            Namespace = "prod",
            Labels = new Dictionary<string, string> { ["version"] = "1", ["app"] = "r" },
            Annotations = new Dictionary<string, string> { ["enabled"] = "true" },
            ResourceVersion = 7,
            Generation = 3,
            Uid = "0b6c",
            CreationTimestamp = new DateTimeOffset(2024, 1, 31, 12, 0, 0, TimeSpan.Zero),
        },
        Spec = JsonDocument.Parse("""{"hosts":["r","true","1","null","~","1.5","","a: b","#x"],"http":[{"route":[{"destination":{"host":"r"},"weight":100}],"headers":{"request":{"set":{"x-flag":"false"}}}}]}""").RootElement.Clone(),
    };

    [Fact]
    public void ToYaml_StringsThatLookLikeOtherTypes_RoundTripAsStrings()
    {
        var yaml = ManifestWriter.ToYaml([Resource, Resource with { Metadata = Resource.Metadata with { Name = "s" } }]);

        var result = ManifestReader.Read(yaml, "-");

        Assert.Equal(2, result.Resources.Count);
        Assert.True(JsonElement.DeepEquals(Resource.Spec, result.Resources[0].Spec), yaml);
        Assert.Equal(Resource.Metadata.Labels, result.Resources[0].Metadata.Labels);
        Assert.Equal(7, result.Resources[0].Metadata.ResourceVersion);
        Assert.Equal(Resource.Metadata.CreationTimestamp, result.Resources[0].Metadata.CreationTimestamp);
        Assert.Contains("resourceVersion: \"7\"", yaml);
        Assert.StartsWith("---", yaml);
    }

    [Fact]
    public void ToJson_OneOrSeveral_WritesObjectOrList()
    {
        using var one = JsonDocument.Parse(ManifestWriter.ToJson([Resource]));
        using var two = JsonDocument.Parse(ManifestWriter.ToJson([Resource, Resource]));

        Assert.Equal("VirtualService", one.RootElement.GetProperty("kind").GetString());
        Assert.Equal("List", two.RootElement.GetProperty("kind").GetString());
        Assert.Equal(2, two.RootElement.GetProperty("items").GetArrayLength());
        var back = ManifestReader.Read(ManifestWriter.ToJson([Resource]), "-");
        Assert.Equal(Resource.Metadata.Uid, back.Resources[0].Metadata.Uid);
    }
}
