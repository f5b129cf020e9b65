using Runtime.Abstractions.Mesh;
using Runtime.Abstractions.Resources;
using Runtime.Cli.Tests.Testing;

namespace Runtime.Cli.Tests.Commands;

/// <summary>meshctl with Istio's mesh config: validate, apply (one per mesh, the newest wins) and get.</summary>
public sealed class MeshConfigCommandTests
{
    private const string ConfigMap = """
        apiVersion: v1
        kind: ConfigMap
        metadata: {name: istio, namespace: istio-system}
        data:
          mesh: |-
            accessLogFile: /dev/stdout
            defaultConfig:
              tracing: {sampling: 5}
        """;

    private const string Operator = """
        apiVersion: install.istio.io/v1alpha1
        kind: IstioOperator
        metadata: {name: istio-controlplane, namespace: istio-system}
        spec:
          profile: production
          meshConfig:
            accessLogFile: ""
            enableTracing: false
        """;

    [Fact]
    public async Task Validate_IstioOperator_WarnsAboutProfileAndExitsZero()
    {
        await using var plane = await ControlPlane.StartAsync();

        var result = await plane.RunWithInputAsync(Operator, "validate", "-f", "-");

        Assert.Equal(0, result.ExitCode);
        Assert.Contains("spec.profile", result.Output + result.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Apply_ConfigMapThenIstioOperator_TheNewestIsTheMeshConfig()
    {
        await using var plane = await ControlPlane.StartAsync();

        Assert.Equal(0, (await plane.RunWithInputAsync(ConfigMap, "apply", "-f", "-")).ExitCode);
        var first = await plane.RunAsync("get", "meshconfig", "istio", "-n", "istio-system", "-o", "yaml");
        Assert.Equal(0, first.ExitCode);
        Assert.Equal(5, MeshTelemetry.From(ManifestReader.Read(first.Output, "first").Resources).Sampling);

        Assert.Equal(0, (await plane.RunWithInputAsync(Operator, "apply", "-f", "-")).ExitCode);
        var second = await plane.RunAsync("get", "meshconfigs", "-A", "-o", "yaml");
        Assert.Equal(0, second.ExitCode);
        var read = ManifestReader.Read(second.Output, "second");
        Assert.False(read.HasErrors, string.Join("\n", read.Issues));
        var stored = MeshTelemetry.From(read.Resources);
        Assert.Single(read.Resources);
        Assert.False(stored.TracingEnabled);
        Assert.Null(stored.DefaultAccessLog);
        Assert.Null(stored.Sampling);

        var table = await plane.RunAsync("get", "meshconfig", "-n", "istio-system");
        Assert.Equal(0, table.ExitCode);
        Assert.Matches(@"^istio\s", table.OutputLines[1]);
    }
}
