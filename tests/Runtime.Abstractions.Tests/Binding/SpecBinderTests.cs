using System.Text.Json;
using Runtime.Abstractions.Networking;
using Runtime.Abstractions.Resources;
using Runtime.Abstractions.Security;
using Runtime.Abstractions.Validation;

namespace Runtime.Abstractions.Tests.Binding;

public class SpecBinderTests
{
    [Fact]
    public void Bind_NearMissField_SuggestsCanonicalName()
    {
        var bound = MeshKinds.DestinationRule.Bind(Json("""{"host":"r","trafficPolicy":{"outlierDetection":{"consecutive5xErrors":5}}}"""));

        var issue = Assert.Single(bound.Issues);
        Assert.Equal("spec.trafficPolicy.outlierDetection.consecutive5xErrors", issue.Path);
        Assert.Contains("did you mean 'consecutive5xxErrors'?", issue.Message);
    }

    [Fact]
    public void Bind_FarOffField_ListsKnownFields()
    {
        var bound = MeshKinds.PeerAuthentication.Bind(Json("""{"zzzzzzzz":1}"""));

        var issue = Assert.Single(bound.Issues);
        Assert.Contains("unknown field 'zzzzzzzz'", issue.Message);
        Assert.Contains("mtls", issue.Fix);
    }

    [Fact]
    public void Bind_ScalarWhereListExpected_CoercesWithWarning()
    {
        var bound = MeshKinds.RequestAuthentication.Bind(Json("""{"jwtRules":[{"issuer":"i","audiences":"api"}]}"""));

        var spec = Assert.IsType<RequestAuthenticationSpec>(bound.Value);
        Assert.Equal(["api"], spec.JwtRules![0].Audiences!);
        var issue = Assert.Single(bound.Issues);
        Assert.Equal(IssueSeverity.Warning, issue.Severity);
        Assert.Equal("spec.jwtRules[0].audiences", issue.Path);
    }

    [Theory]
    [InlineData("""{"hosts":[true]}""", "spec.hosts[0]", "quote the value: \"true\"")]
    [InlineData("""{"hosts":[1]}""", "spec.hosts[0]", "quote the value: \"1\"")]
    [InlineData("""{"http":[{"timeout":30}]}""", "spec.http[0].timeout", "add a unit: \"30s\"")]
    [InlineData("""{"http":[{"route":[{"weight":"50"}]}]}""", "spec.http[0].route[0].weight", "remove the quotes: 50")]
    [InlineData("""{"http":[{"match":[{"ignoreUriCase":"true"}]}]}""", "spec.http[0].match[0].ignoreUriCase", "remove the quotes: true")]
    public void Bind_WrongScalarType_ReportsErrorWithFix(string json, string path, string fix)
    {
        var bound = MeshKinds.VirtualService.Bind(Json(json));

        var issue = Assert.Single(bound.Issues);
        Assert.Equal(path, issue.Path);
        Assert.Equal(fix, issue.Fix);
    }

    [Fact]
    public void Bind_DeprecatedAliases_BindAndWarn()
    {
        var bound = MeshKinds.VirtualService.Bind(Json("""{"http":[{"mirror_percent":5,"fault":{"delay":{"percent":10,"fixedDelay":"1s"}}}]}"""));

        var route = Assert.IsType<VirtualServiceSpec>(bound.Value).Http![0];
        Assert.Equal(5, route.MirrorPercent);
        Assert.Equal(10, route.Fault!.Delay!.Percent);
        Assert.Equal(2, bound.Issues.Count(i => i.Severity == IssueSeverity.Warning));
    }

    [Fact]
    public void Bind_EnumsAndIntKeyedMaps_BindIstioNames()
    {
        var bound = MeshKinds.PeerAuthentication.Bind(Json("""{"selector":{"matchLabels":{"app":"a"}},"portLevelMtls":{"8080":{"mode":"PERMISSIVE"}}}"""));

        var spec = Assert.IsType<PeerAuthenticationSpec>(bound.Value);
        Assert.Equal(MutualTlsMode.Permissive, spec.PortLevelMtls![8080].Mode);
        Assert.Empty(bound.Issues);
    }

    [Fact]
    public void Bind_WrongShapes_NeverThrows()
    {
        foreach (var json in new[] { "[]", "\"x\"", "1", """{"http":{"a":1}}""", """{"http":[[[]]]}""", """{"hosts":{"a":[1]}}""" })
        {
            var bound = MeshKinds.VirtualService.Bind(Json(json));
            Assert.True(bound.HasErrors, json);
        }
    }

    private static JsonElement Json(string json) => JsonDocument.Parse(json).RootElement.Clone();
}
