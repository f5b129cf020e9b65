using System.Text.Json;
using Runtime.Abstractions.Resources;

namespace Runtime.Silo.Tests.Testing;

internal static class Resources
{
    public static MeshResource Make(
        string name,
        string spec = """{"hosts":["reviews"]}""",
        string kind = "VirtualService",
        string ns = "default",
        IReadOnlyDictionary<string, string>? labels = null,
        IReadOnlyDictionary<string, string>? annotations = null,
        long resourceVersion = 0,
        string apiVersion = "networking.istio.io/v1beta1")
    {
        using var document = JsonDocument.Parse(spec);
        return new MeshResource
        {
            ApiVersion = apiVersion,
            Kind = kind,
            Spec = document.RootElement.Clone(),
            Metadata = new ObjectMeta
            {
                Name = name,
                Namespace = ns,
                Labels = labels ?? new Dictionary<string, string>(),
                Annotations = annotations ?? new Dictionary<string, string>(),
                ResourceVersion = resourceVersion,
            },
        };
    }

    public static void AssertSame(MeshResource expected, MeshResource? actual)
    {
        Assert.NotNull(actual);
        Assert.Equal(expected.ApiVersion, actual.ApiVersion);
        Assert.Equal(expected.Kind, actual.Kind);
        Assert.True(JsonElement.DeepEquals(expected.Spec, actual.Spec), $"spec {actual.Spec.GetRawText()} != {expected.Spec.GetRawText()}");
        var e = expected.Metadata;
        var a = actual.Metadata;
        Assert.Equal(e.Name, a.Name);
        Assert.Equal(e.Namespace, a.Namespace);
        Assert.Equal(e.Labels.OrderBy(p => p.Key), a.Labels.OrderBy(p => p.Key));
        Assert.Equal(e.Annotations.OrderBy(p => p.Key), a.Annotations.OrderBy(p => p.Key));
        Assert.Equal(e.ResourceVersion, a.ResourceVersion);
        Assert.Equal(e.Generation, a.Generation);
        Assert.Equal(e.Uid, a.Uid);
        Assert.Equal(e.CreationTimestamp, a.CreationTimestamp);
        Assert.Equal(e.UpdateTimestamp, a.UpdateTimestamp);
    }
}
